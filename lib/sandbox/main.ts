// `npm run sandbox`: starts the sandbox from the environment. The only sandbox module that reads
// process.env: SANDBOX_PORT (default 4010, 0 picks a free port), SANDBOX_TOKEN, SANDBOX_SPEED.
// Request and job lines go to stdout, unexpected errors (with their stack) to stderr.
import { z } from "zod";
import { createSandbox, DEFAULT_TOKEN } from "./server";

// An empty variable counts as unset, so `SANDBOX_PORT= npm run sandbox` keeps the default.
const unsetWhenEmpty = (value: unknown) => (value === "" ? undefined : value);

const environmentSchema = z.object({
  SANDBOX_PORT: z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(0).max(65535).default(4010)),
  SANDBOX_TOKEN: z.preprocess(unsetWhenEmpty, z.string().regex(/^\S+$/).default(DEFAULT_TOKEN)),
  SANDBOX_SPEED: z.preprocess(unsetWhenEmpty, z.coerce.number().positive().finite().default(1)),
});

const EXPECTATIONS: Record<string, string> = {
  SANDBOX_PORT: "must be an integer port from 0 to 65535",
  SANDBOX_TOKEN: "must be a token without whitespace",
  SANDBOX_SPEED: "must be a positive number (1 is real time)",
};

function fail(line: string): never {
  process.stderr.write(`sandbox: ${line}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const parsed = environmentSchema.safeParse(process.env);
  if (!parsed.success) {
    const name = String(parsed.error.issues[0]?.path[0] ?? "environment");
    fail(`invalid ${name}: ${EXPECTATIONS[name] ?? "invalid value"}`);
  }
  const { SANDBOX_PORT, SANDBOX_TOKEN, SANDBOX_SPEED } = parsed.data;
  const sandbox = createSandbox({
    token: SANDBOX_TOKEN,
    speed: SANDBOX_SPEED,
    log: (line) => process.stdout.write(`${line}\n`),
    logError: (line) => process.stderr.write(`${line}\n`),
  });
  const { baseUrl } = await sandbox.listen(SANDBOX_PORT).catch((error: unknown) =>
    fail(`cannot listen on port ${SANDBOX_PORT}: ${error instanceof Error ? error.message : String(error)}`),
  );
  console.log(`sandbox listening on ${baseUrl}`);

  const shutDown = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", shutDown);
  process.once("SIGTERM", shutDown);
}

void main();
