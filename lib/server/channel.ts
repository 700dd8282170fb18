import "server-only";
// Following a Postgres notification channel (LISTEN) on a connection of its own, kept open across
// database restarts: the job change hub (lib/jobs/job-changes.ts) and the API key cache
// (lib/auth/keys.ts) each follow one. Between losing the connection and listening again,
// notifications are missed: `onLost` and `onListening` tell the follower, so that it can stop
// trusting what it holds and catch up.
import pg from "pg";
import { getEnv } from "./env";
import { logEvent } from "./log";

const RECONNECT_DELAY_MS = 2_000;

export interface ChannelHandlers {
  onNotification(payload: string): void;
  /** Listening (again): notifications committed from now on arrive. */
  onListening?(): void;
  /** The connection is gone: notifications are missed until onListening. */
  onLost?(): void;
}

export interface ChannelFollower {
  /** Settles after the first attempt to listen, whether it succeeded or not. */
  firstAttempt: Promise<void>;
  isListening(): boolean;
  stop(): void;
}

/** `channel` must be a plain identifier (a constant of ours, never user input). */
export function followChannel(channel: string, handlers: ChannelHandlers): ChannelFollower {
  let client: pg.Client | null = null;
  let isListening = false;
  let isStopped = false;
  let retryTimer: NodeJS.Timeout | null = null;

  const lose = (lost: pg.Client) => {
    lost.end().catch(() => {});
    if (client !== lost) return; // stopped, or already replaced
    client = null;
    isListening = false;
    handlers.onLost?.();
    if (isStopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!isStopped) void connect();
    }, RECONNECT_DELAY_MS);
    retryTimer.unref();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: getEnv().databaseUrl });
    client = next;
    next.on("notification", (message) => {
      if (client === next && message.channel === channel && message.payload !== undefined) handlers.onNotification(message.payload);
    });
    next.on("error", (error) => {
      logEvent("warn", "channel_listener_lost", { channel, error: error.message });
      lose(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      logEvent("warn", "channel_listener_failed", { channel, error: (error as Error).message });
      lose(next);
      return;
    }
    if (client !== next) {
      next.end().catch(() => {}); // stopped meanwhile
      return;
    }
    isListening = true;
    handlers.onListening?.();
  };

  return {
    firstAttempt: connect(),
    isListening: () => isListening,
    stop() {
      isStopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const current = client;
      client = null;
      isListening = false;
      current?.end().catch(() => {});
    },
  };
}
