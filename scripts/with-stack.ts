// Runs one command with the stack around it: `with-stack [--db-only] [--app] <bin> [args…]`.
//   --db-only  database and migrations only (db:* commands), dev profile
//   --app      also build and serve the app (integration and end-to-end tests), test profile
import { exitCodeOf, runMain, startBuiltApp, startChild, startStack, stopChild, stopOnSignals } from "./stack";

runMain(async () => {
  const args = process.argv.slice(2);
  const takeFlag = (flag: string) => {
    const index = args.indexOf(flag);
    if (index !== -1) args.splice(index, 1);
    return index !== -1;
  };
  const dbOnly = takeFlag("--db-only");
  const withApp = takeFlag("--app");
  const [bin, ...binArgs] = args;
  if (!bin) throw new Error("usage: tsx scripts/with-stack.ts [--db-only] [--app] <bin> [args…]");

  const stack = await startStack({ profile: dbOnly ? "dev" : "test", withSandbox: !dbOnly });
  const app = withApp ? await startBuiltApp(stack).catch(async (error) => {
    await stack.stop();
    throw error;
  }) : undefined;
  const child = startChild(bin, binArgs, stack.env);
  const stopAll = async () => {
    if (app) await stopChild(app);
    await stack.stop();
  };
  stopOnSignals(async () => {
    child.kill("SIGTERM");
    await stopAll();
  });
  const code = await exitCodeOf(child);
  await stopAll();
  return code;
});
