"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { FieldIssue } from "@/lib/jobs/submission";
import { FormErrors, TextAreaField, TextField } from "./field";
import { focusFirstInvalid } from "./new-import-form";
import { useSubmitJob } from "./use-submit-job";

interface AgentErrors {
  projectId?: string;
  compositionId?: string;
  prompt?: string;
  form: string[];
}

function placeIssues(issues: FieldIssue[]): AgentErrors {
  const errors: AgentErrors = { form: [] };
  for (const { path, message } of issues) {
    const [first] = path;
    // The schema's whole-body checks are all about which project the edit applies to.
    if (first === "project_id" || first === undefined) errors.projectId ??= message;
    else if (first === "composition_id") errors.compositionId ??= message;
    else if (first === "prompt") errors.prompt ??= message;
    else errors.form.push(message);
  }
  return errors;
}

/** An agent edit of an existing project: a prompt, optionally limited to one composition. */
export function NewAgentForm() {
  const [projectId, setProjectId] = useState("");
  const [compositionId, setCompositionId] = useState("");
  const [prompt, setPrompt] = useState("");
  const [errors, setErrors] = useState<AgentErrors>({ form: [] });
  const { submit, mutation } = useSubmitJob((issues) => {
    setErrors(placeIssues(issues));
    focusFirstInvalid();
  });
  const hasFieldErrors = Boolean(errors.projectId || errors.compositionId || errors.prompt || errors.form.length);

  return (
    <form
      noValidate
      aria-label="New agent edit"
      className="max-w-3xl space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit({
          type: "agent",
          request: {
            project_id: projectId.trim(),
            prompt,
            ...(compositionId.trim() ? { composition_id: compositionId.trim() } : {}),
          },
        });
      }}
    >
      <TextField
        id="agent-project-id"
        label="Project id"
        hint="The project's UUID, as in its Descript URL or in another job of it."
        value={projectId}
        onChange={(event) => setProjectId(event.target.value)}
        error={errors.projectId}
        autoComplete="off"
        spellCheck={false}
      />
      <TextField
        id="agent-composition-id"
        label="Composition id (optional)"
        hint="Without one, the agent works on the project's default composition."
        value={compositionId}
        onChange={(event) => setCompositionId(event.target.value)}
        error={errors.compositionId}
        autoComplete="off"
        spellCheck={false}
      />
      <TextAreaField
        id="agent-prompt"
        label="Prompt"
        rows={5}
        placeholder="Remove filler words and add captions"
        value={prompt}
        onChange={(event) => setPrompt(event.target.value)}
        error={errors.prompt}
      />
      <FormErrors messages={[...errors.form, ...(mutation.isError && !hasFieldErrors ? [`Descript did not take the edit: ${mutation.error.message}`] : [])]} />
      <Button type="submit" variant="primary" disabled={mutation.isPending || mutation.isSuccess}>
        {mutation.isPending ? "Submitting…" : mutation.isSuccess ? "Opening the job…" : "Submit agent edit"}
      </Button>
    </form>
  );
}
