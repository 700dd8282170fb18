// The sandbox's own record of the API requests it answered (control and upload requests aside):
// when each arrived and was answered, by the host clock in ms, so tests can count what a client
// really sent per second, and see whether two requests overlapped.
export interface RecordedRequest {
  received_at: number;
  answered_at: number;
  method: string;
  path: string;
  status: number;
}

export interface RequestRecord {
  add(request: RecordedRequest): void;
  /** Requests received at or after `since` (ms), oldest first. */
  list(since: number): RecordedRequest[];
  clear(): void;
}

/** The newest `capacity` requests are kept. */
export function createRequestRecord(capacity = 20_000): RequestRecord {
  let requests: RecordedRequest[] = [];
  return {
    add(request) {
      requests.push(request);
      if (requests.length > capacity * 1.5) requests = requests.slice(-capacity);
    },
    list(since) {
      return requests.filter((request) => request.received_at >= since).sort((a, b) => a.received_at - b.received_at);
    },
    clear() {
      requests = [];
    },
  };
}
