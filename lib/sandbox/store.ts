// The sandbox's memory: projects and jobs. Projects outlive the jobs that created them; jobs
// vanish 30 days after creation (Descript's retention).
import { randomUUID } from "node:crypto";
import { isActive, type JobRecord } from "./jobs";

const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

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
  addJob(job: JobRecord): void;
  findJob(jobId: string): JobRecord | undefined;
  findActiveJob(projectId: string): JobRecord | undefined;
  /** Every retained job, oldest first. */
  listJobs(): readonly JobRecord[];
  /** Removes and returns jobs past retention. */
  removeExpiredJobs(now: number): JobRecord[];
  clear(): void;
}

export function createStore(): SandboxStore {
  const projects = new Map<string, Project>();
  const jobsById = new Map<string, JobRecord>();
  let jobsOldestFirst: JobRecord[] = [];
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
    },
    findJob: (jobId) => jobsById.get(jobId),
    findActiveJob: (projectId) => jobsOldestFirst.find((job) => job.projectId === projectId && isActive(job)),
    listJobs: () => jobsOldestFirst,
    removeExpiredJobs(now) {
      const firstKept = jobsOldestFirst.findIndex((job) => now - job.createdAt <= RETENTION_MS);
      const expired = firstKept === -1 ? jobsOldestFirst : jobsOldestFirst.slice(0, firstKept);
      if (expired.length === 0) return [];
      jobsOldestFirst = jobsOldestFirst.slice(expired.length);
      for (const job of expired) jobsById.delete(job.id);
      return expired;
    },
    clear() {
      projects.clear();
      jobsById.clear();
      jobsOldestFirst = [];
    },
  };
}
