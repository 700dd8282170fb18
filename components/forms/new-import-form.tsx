"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { FieldIssue } from "@/lib/jobs/submission";
import { FormErrors, TextField } from "./field";
import { useSubmitJob } from "./use-submit-job";

interface MediaRow {
  key: number;
  name: string;
  url: string;
}

interface ImportErrors {
  projectName?: string;
  projectId?: string;
  composition?: string;
  media: Record<number, { name?: string; url?: string }>;
  form: string[];
}

const NO_ERRORS: ImportErrors = { media: {}, form: [] };

/** Places each finding at the field it is about; what belongs to none is shown above the button. */
function placeIssues(issues: FieldIssue[], rows: MediaRow[]): ImportErrors {
  const errors: ImportErrors = { media: {}, form: [] };
  for (const { path, message } of issues) {
    const [first, reference, field] = path;
    if (first === "project_name") errors.projectName ??= message;
    else if (first === "project_id") errors.projectId ??= message;
    else if (first === "add_compositions") errors.composition ??= message;
    else if (first === "add_media" && typeof reference === "string") {
      const row = rows.find((candidate) => candidate.name.trim() === reference);
      if (!row) errors.form.push(message);
      else errors.media[row.key] = { ...errors.media[row.key], [field === "url" || field === "tracks" ? "url" : reference === "" ? "name" : "url"]: message };
    } else errors.form.push(message);
  }
  return errors;
}

/** A new import: into a new project by name or an existing one by id, several media URLs, an optional composition. */
export function NewImportForm() {
  const [projectMode, setProjectMode] = useState<"new" | "existing">("new");
  const [projectName, setProjectName] = useState("");
  const [projectId, setProjectId] = useState("");
  const [rows, setRows] = useState<MediaRow[]>([{ key: 0, name: "", url: "" }]);
  const [nextKey, setNextKey] = useState(1);
  const [withComposition, setWithComposition] = useState(false);
  const [compositionName, setCompositionName] = useState("");
  const [errors, setErrors] = useState<ImportErrors>(NO_ERRORS);
  const { submit, mutation } = useSubmitJob((issues) => {
    const placed = placeIssues(issues, rows);
    setErrors(placed);
    focusFirstInvalid();
  });

  const updateRow = (key: number, change: Partial<MediaRow>) => setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const onSubmit = () => {
    // A request names its media by key: two rows with one name would silently become one file.
    const seen = new Map<string, number>();
    const duplicates: ImportErrors["media"] = {};
    for (const row of rows) {
      const name = row.name.trim();
      if (name !== "" && seen.has(name)) duplicates[row.key] = { name: "Another file already has this name" };
      seen.set(name, row.key);
    }
    if (Object.keys(duplicates).length > 0) {
      setErrors({ ...NO_ERRORS, media: duplicates });
      focusFirstInvalid();
      return;
    }
    const names = rows.map((row) => row.name.trim());
    submit({
      type: "import/project_media",
      request: {
        ...(projectMode === "new" ? { project_name: projectName.trim() } : { project_id: projectId.trim() }),
        add_media: Object.fromEntries(rows.map((row) => [row.name.trim(), { url: row.url.trim() }])),
        ...(withComposition ? { add_compositions: [{ ...(compositionName.trim() ? { name: compositionName.trim() } : {}), clips: names.map((media) => ({ media })) }] } : {}),
      },
    });
  };

  return (
    <form
      noValidate
      aria-label="New import"
      className="max-w-3xl space-y-6"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold">Project</legend>
        <div className="flex gap-4 text-sm">
          {(["new", "existing"] as const).map((mode) => (
            <label key={mode} className="flex items-center gap-2">
              <input type="radio" name="project-mode" value={mode} checked={projectMode === mode} onChange={() => setProjectMode(mode)} />
              {mode === "new" ? "A new project" : "An existing project"}
            </label>
          ))}
        </div>
        {projectMode === "new" ? (
          <TextField id="import-project-name" label="Project name" value={projectName} onChange={(event) => setProjectName(event.target.value)} error={errors.projectName} autoComplete="off" />
        ) : (
          <TextField
            id="import-project-id"
            label="Project id"
            hint="The project's UUID, as in its Descript URL or in another job of it."
            value={projectId}
            onChange={(event) => setProjectId(event.target.value)}
            error={errors.projectId}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold">Media</legend>
        <ol className="space-y-3">
          {rows.map((row, index) => (
            <li key={row.key} className="grid grid-cols-1 gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-[1fr_2fr_auto] dark:border-zinc-800">
              <TextField
                id={`media-${row.key}-name`}
                label={`File ${index + 1} name`}
                placeholder="intro.mp4"
                value={row.name}
                onChange={(event) => updateRow(row.key, { name: event.target.value })}
                error={errors.media[row.key]?.name}
                autoComplete="off"
              />
              <TextField
                id={`media-${row.key}-url`}
                label={`File ${index + 1} URL`}
                type="url"
                placeholder="https://…/intro.mp4"
                value={row.url}
                onChange={(event) => updateRow(row.key, { url: event.target.value })}
                error={errors.media[row.key]?.url}
                autoComplete="off"
                spellCheck={false}
              />
              <div className="sm:pt-6">
                <Button size="sm" variant="ghost" disabled={rows.length === 1} onClick={() => setRows((current) => current.filter((item) => item.key !== row.key))}>
                  Remove<span className="sr-only"> file {index + 1}</span>
                </Button>
              </div>
            </li>
          ))}
        </ol>
        <Button
          size="sm"
          onClick={() => {
            setRows((current) => [...current, { key: nextKey, name: "", url: "" }]);
            setNextKey((key) => key + 1);
          }}
        >
          Add another file
        </Button>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold">Composition (optional)</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={withComposition} onChange={(event) => setWithComposition(event.target.checked)} />
          Also create a composition with these files, in this order
        </label>
        {withComposition ? (
          <TextField
            id="import-composition-name"
            label="Composition name (optional)"
            value={compositionName}
            onChange={(event) => setCompositionName(event.target.value)}
            error={errors.composition}
            autoComplete="off"
          />
        ) : null}
      </fieldset>

      <FormErrors messages={[...errors.form, ...(mutation.isError && errors.form.length === 0 && !hasFieldErrors(errors) ? [`Descript did not take the import: ${mutation.error.message}`] : [])]} />
      <Button type="submit" variant="primary" disabled={mutation.isPending || mutation.isSuccess}>
        {mutation.isPending ? "Submitting…" : mutation.isSuccess ? "Opening the job…" : "Submit import"}
      </Button>
    </form>
  );
}

function hasFieldErrors(errors: ImportErrors): boolean {
  return Boolean(errors.projectName || errors.projectId || errors.composition || Object.keys(errors.media).length);
}

/** After a refused submit, keyboard and screen-reader users land on the first field to fix. */
export function focusFirstInvalid() {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus());
}
