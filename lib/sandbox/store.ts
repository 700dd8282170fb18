// The sandbox's memory: projects and jobs. Jobs vanish 30 days after creation (Descript's
// retention); a project goes with the last retained job that refers to it, so that a long dev
// session's memory stays bounded (a deliberate deviation, see docs/decisions/0004-sandbox.md).
import { randomUUID } from "node:crypto";
import { isActive, type JobRecord } from "./jobs";

export const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface Project {
  id: string;
  name: string;
  createdAt: number;
  /** What a publish without composition_id publishes. */
  defaultCompositionId: string;
}

export interface SandboxStore {
  createProject(options: { name: string; now: number }): Project;
  findProject(projectId: string): Project | undefined;
  nextSequence(): number;
  /** Adds a job; its project must exist and have no active job. */
  addJob(job: JobRecord): void;
  findJob(jobId: string): JobRecord | undefined;
  findActiveJob(projectId: string): JobRecord | undefined;
  /** Every retained job, oldest first. */
  listJobs(): readonly JobRecord[];
  /** Removes and returns jobs past retention. Projects stay, as upstream's do. */
  removeExpiredJobs(now: number): JobRecord[];
  clear(): void;
}

export function createStore(): SandboxStore {
  const projects = new Map<string, Project>();
  const jobsById = new Map<string, JobRecord>();
  let jobsOldestFirst: JobRecord[] = [];
  // A job is only created on an idle project, so a project's one possibly active job is its newest.
  const newestJobByProject = new Map<string, JobRecord>();
  let sequence = 0;

  return {
    createProject({ name, now }) {
      const project = { id: randomUUID(), name, createdAt: now, defaultCompositionId: randomUUID() };
      projects.set(project.id, project);
      return project;
    },
    findProject: (projectId) => projects.get(projectId),
    nextSequence: () => (sequence += 1),
    addJob(job) {
      jobsById.set(job.id, job);
      jobsOldestFirst.push(job);
      newestJobByProject.set(job.projectId, job);
    },
    findJob: (jobId) => jobsById.get(jobId),
    findActiveJob(projectId) {
      const newest = newestJobByProject.get(projectId);
      return newest && isActive(newest) ? newest : undefined;
    },
    listJobs: () => jobsOldestFirst,
    removeExpiredJobs(now) {
      const firstKept = jobsOldestFirst.findIndex((job) => now - job.createdAt <= RETENTION_MS);
      const expired = firstKept === -1 ? jobsOldestFirst : jobsOldestFirst.slice(0, firstKept);
      if (expired.length === 0) return [];
      jobsOldestFirst = jobsOldestFirst.slice(expired.length);
      for (const job of expired) {
        jobsById.delete(job.id);
        if (newestJobByProject.get(job.projectId) === job) newestJobByProject.delete(job.projectId);
      }
      return expired;
    },
    clear() {
      projects.clear();
      jobsById.clear();
      jobsOldestFirst = [];
      newestJobByProject.clear();
    },
  };
}
