// POST /jobs/import/project_media, /jobs/agent, /jobs/publish (bearer token): validate, check the
// project, create the job and answer 201 at once; the work happens later on the lifecycle's timers.
import { randomUUID } from "node:crypto";
import type { SandboxClock } from "./clock";
import { invalidInput, notFound, rateLimitExceeded } from "./errors";
import { jsonResponse, parseJsonBody, type SandboxRequest, type SandboxResponse } from "./http";
import { createJobId, DRIVE, toProjectUrl, type ImportedMedia, type JobRecord, type JobSpec } from "./jobs";
import { planProcessingMs, type Lifecycle } from "./lifecycle";
import { readMediaBehaviour, readScenario, refusesRangeRequests, type JobScenario } from "./scenarios";
import type { Project, SandboxStore } from "./store";
import type { UploadDesk } from "./uploads";
import { agentRequestSchema, importRequestSchema, publishRequestSchema, type MediaItem } from "../descript/schemas";
import { parseInput } from "./validation";

export interface JobCreationContext {
  speed: number;
  clock: SandboxClock;
  store: SandboxStore;
  lifecycle: Lifecycle;
  uploads: UploadDesk;
}

/** The model an agent job reports when the request leaves `model` at its default, `auto`. */
const AUTO_AGENT_MODEL = "sandbox-agent-1";
const UNTITLED_PROJECT = "Untitled project";
/** What a busy project's 429 tells clients to wait; a job's end is not promised upstream. */
const BUSY_PROJECT_RETRY_AFTER_SECONDS = 5;

export async function createImportJob(context: JobCreationContext, request: SandboxRequest): Promise<SandboxResponse> {
  const body = parseInput(importRequestSchema, parseJsonBody(request));
  const existingProject = body.project_id === undefined ? undefined : requireIdleProject(context, body.project_id);
  const mediaEntries = Object.entries(body.add_media ?? {});
  const media = mediaEntries.map(([ref, item]) => describeMedia(ref, item));
  const project = existingProject ?? createProject(context, body.project_name);
  const job = registerJob(context, {
    project,
    spec: {
      type: "import/project_media",
      media,
      compositionNames: (body.add_compositions ?? []).map((composition, index) => composition.name ?? `Composition ${index + 1}`),
    },
    scenario: readScenario([body.project_name, ...mediaEntries.map(([ref]) => ref)]),
    callbackUrl: body.callback_url,
  });
  const uploadRefs = media.filter(({ source }) => source === "upload").map(({ ref }) => ref);
  for (const ref of uploadRefs) job.pendingUploads.add(ref);
  // fromEntries, not assignment: a reference key may be any string, "__proto__" included.
  const uploadUrls = Object.fromEntries(
    uploadRefs.map((ref) => [ref, context.uploads.open({ jobId: job.id, ref, origin: request.origin })]),
  );
  await launchJob(context, job);
  return jsonResponse(201, {
    ...describeCreatedJob(job),
    ...(uploadRefs.length > 0 && { upload_urls: uploadUrls }),
  });
}

export async function createAgentJob(context: JobCreationContext, request: SandboxRequest): Promise<SandboxResponse> {
  const body = parseInput(agentRequestSchema, parseJsonBody(request));
  const project =
    body.project_id === undefined ? createProject(context, body.project_name) : requireIdleProject(context, body.project_id);
  const spec: JobSpec = {
    type: "agent",
    prompt: body.prompt,
    conversationId: body.conversation_id ?? randomUUID(),
    resolvedModel: (body.model ?? "auto") === "auto" ? AUTO_AGENT_MODEL : body.model!,
  };
  const job = registerJob(context, {
    project,
    spec,
    scenario: readScenario([body.project_name, body.prompt]),
    callbackUrl: body.callback_url,
  });
  await launchJob(context, job);
  return jsonResponse(201, {
    ...describeCreatedJob(job),
    resolved_model: spec.resolvedModel,
    conversation_id: spec.conversationId,
  });
}

export async function createPublishJob(context: JobCreationContext, request: SandboxRequest): Promise<SandboxResponse> {
  const body = parseInput(publishRequestSchema, parseJsonBody(request));
  const project = requireIdleProject(context, body.project_id);
  const job = registerJob(context, {
    project,
    spec: {
      type: "publish",
      compositionId: body.composition_id ?? project.defaultCompositionId,
      mediaType: body.media_type ?? "Video",
    },
    // A publish body carries no free text: its tags come from the name the project was created with.
    scenario: readScenario([project.name]),
    callbackUrl: body.callback_url,
  });
  await launchJob(context, job);
  return jsonResponse(201, describeCreatedJob(job));
}

function describeMedia(ref: string, item: MediaItem): ImportedMedia {
  if ("url" in item) {
    // Descript probes media URLs at submit time; one without Range support is refused outright.
    if (refusesRangeRequests(item.url)) {
      throw invalidInput(`Media URL is not accessible or does not support Range requests: ${item.url}`);
    }
    return { ref, source: "url", behaviour: readMediaBehaviour(item.url) };
  }
  return { ref, source: "tracks" in item ? "multitrack" : "upload", behaviour: "normal" };
}

/** 404 for an unknown project, 429 while another job is queued or running on it. */
function requireIdleProject(context: JobCreationContext, projectId: string): Project {
  const project = context.store.findProject(projectId);
  if (!project) throw notFound("Project not found");
  if (context.store.findActiveJob(projectId)) {
    throw rateLimitExceeded("A job is already running for this project", BUSY_PROJECT_RETRY_AFTER_SECONDS);
  }
  return project;
}

function createProject(context: JobCreationContext, name: string | undefined): Project {
  return context.store.createProject({ name: name ?? UNTITLED_PROJECT, now: context.clock.now() });
}

function registerJob(
  context: JobCreationContext,
  options: { project: Project; spec: JobSpec; scenario: JobScenario; callbackUrl: string | undefined },
): JobRecord {
  const { project, spec, scenario, callbackUrl } = options;
  const job: JobRecord = {
    id: createJobId(spec.type, project.id),
    seq: context.store.nextSequence(),
    projectId: project.id,
    createdAt: context.clock.now(),
    spec,
    scenario,
    callbackUrl,
    state: "queued",
    processingMs: planProcessingMs(spec, context.speed),
    pendingUploads: new Set(),
  };
  context.store.addJob(job);
  return job;
}

/**
 * #early: the job stops before the create request is answered, and the answer waits for the first
 * attempt of its callback (later copies, retries and a #delay go on in the background). A direct
 * upload import ignores #early: it cannot finish before its bytes arrive, so it stays running.
 */
async function launchJob(context: JobCreationContext, job: JobRecord): Promise<void> {
  if (job.scenario.callback.isEarly && job.pendingUploads.size === 0) await context.lifecycle.finishNow(job);
  else context.lifecycle.start(job);
}

function describeCreatedJob(job: JobRecord) {
  return {
    job_id: job.id,
    drive_id: DRIVE.id,
    drive_name: DRIVE.name,
    project_id: job.projectId,
    project_url: toProjectUrl(job.projectId),
  };
}
