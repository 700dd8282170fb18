import { describe, expect, test } from "vitest";
import { ConfigError, DEFAULT_SANDBOX_TOKEN, LIVE_DESCRIPT_API_URL, parseConfig } from "@/lib/config/env";

const SECRET = "s3cr3t-callback-secret-0123456789abcdef"; // 39 characters
const TOKEN = "descript-live-token-do-not-leak";
const DB_PASSWORD = "pg-password-do-not-leak";
const DATABASE_URL = `postgresql://jobdeck:${DB_PASSWORD}@db.internal:5432/jobdeck`;

/** Parses and returns the ConfigError thrown, failing the test when none is. */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

function expectOneLineNaming(error: ConfigError, variable: string): void {
  expect(error.variable).toBe(variable);
  expect(error.name).toBe("ConfigError");
  expect(error.message).toContain(variable);
  expect(error.message).not.toMatch(/[\r\n]/);
}

describe("parseConfig defaults", () => {
  test("an empty environment gives sandbox mode on the default ports", () => {
    expect(parseConfig({})).toEqual({
      databaseUrl: undefined,
      port: 3000,
      hostname: "127.0.0.1",
      publicBaseUrl: "http://127.0.0.1:3000",
      descriptMode: "sandbox",
      descriptApiUrl: "http://127.0.0.1:4010/v1",
      descriptApiToken: DEFAULT_SANDBOX_TOKEN,
      callbackSecret: undefined,
      jobRetentionDays: 30,
      upstreamRatePerSec: 5,
      worker: { isEnabled: true, intervalMs: 1000, stuckAfterMinutes: 15, rollupRetentionDays: 400, sweepIntervalMinutes: 60, submitGraceSeconds: 120 },
      sandbox: { port: 4010, token: DEFAULT_SANDBOX_TOKEN, speed: 1 },
      relayAllowedHosts: [],
      bodyReadTimeoutMs: 10_000,
      changesHeartbeatMs: 25_000,
    });
  });

  test("JOBDECK_WORKER=off keeps an instance from running the background worker; anything but on/off is refused", () => {
    expect(parseConfig({ JOBDECK_WORKER: "off" }).worker.isEnabled).toBe(false);
    expect(() => parseConfig({ JOBDECK_WORKER: "no" })).toThrow(/JOBDECK_WORKER/);
    expect(() => parseConfig({ UPSTREAM_RATE_PER_SEC: "0" })).toThrow(/UPSTREAM_RATE_PER_SEC/);
  });

  test("PORT is a number read from its string and moves the default public base URL with it", () => {
    const config = parseConfig({ PORT: "8080" });
    expect(config.port).toBe(8080);
    expect(config.publicBaseUrl).toBe("http://127.0.0.1:8080");
  });

  test("JOB_RETENTION_DAYS is read as a number", () => {
    expect(parseConfig({ JOB_RETENTION_DAYS: "7" }).jobRetentionDays).toBe(7);
  });

  test("sandbox mode talks to the sandbox on SANDBOX_PORT with SANDBOX_TOKEN", () => {
    const config = parseConfig({ SANDBOX_PORT: "5055", SANDBOX_TOKEN: "local-token", SANDBOX_SPEED: "20" });
    expect(config.descriptMode).toBe("sandbox");
    expect(config.descriptApiUrl).toBe("http://127.0.0.1:5055/v1");
    expect(config.descriptApiToken).toBe("local-token");
    expect(config.sandbox).toEqual({ port: 5055, token: "local-token", speed: 20 });
  });

  test("a DATABASE_URL and CALLBACK_SECRET are passed through unchanged", () => {
    const config = parseConfig({ DATABASE_URL, CALLBACK_SECRET: SECRET });
    expect(config.databaseUrl).toBe(DATABASE_URL);
    expect(config.callbackSecret).toBe(SECRET);
  });

  test("a postgres:// DATABASE_URL is accepted as well as postgresql://", () => {
    expect(parseConfig({ DATABASE_URL: "postgres://u:p@localhost/db" }).databaseUrl).toBe("postgres://u:p@localhost/db");
  });
});

describe("parseConfig live mode", () => {
  test("a DESCRIPT_API_TOKEN switches to live mode with that token and Descript's URL", () => {
    const config = parseConfig({ DESCRIPT_API_TOKEN: TOKEN, CALLBACK_SECRET: SECRET });
    expect(config.descriptMode).toBe("live");
    expect(config.descriptApiToken).toBe(TOKEN);
    expect(config.descriptApiUrl).toBe(LIVE_DESCRIPT_API_URL);
    expect(LIVE_DESCRIPT_API_URL).toBe("https://descriptapi.com/v1");
  });

  test("live mode ignores SANDBOX_TOKEN and SANDBOX_PORT for the upstream it talks to", () => {
    const config = parseConfig({ DESCRIPT_API_TOKEN: TOKEN, CALLBACK_SECRET: SECRET, SANDBOX_TOKEN: "x", SANDBOX_PORT: "5055" });
    expect(config.descriptApiToken).toBe(TOKEN);
    expect(config.descriptApiUrl).toBe(LIVE_DESCRIPT_API_URL);
  });

  test("DESCRIPT_API_URL overrides the upstream URL in live mode", () => {
    const config = parseConfig({ DESCRIPT_API_TOKEN: TOKEN, CALLBACK_SECRET: SECRET, DESCRIPT_API_URL: "https://staging.example.com/v1" });
    expect(config.descriptApiUrl).toBe("https://staging.example.com/v1");
  });

  test("DESCRIPT_API_URL overrides the upstream URL in sandbox mode", () => {
    const config = parseConfig({ DESCRIPT_API_URL: "http://sandbox.test:9000/v1" });
    expect(config.descriptMode).toBe("sandbox");
    expect(config.descriptApiUrl).toBe("http://sandbox.test:9000/v1");
  });

  test("live mode without CALLBACK_SECRET throws a ConfigError naming CALLBACK_SECRET", () => {
    const error = configErrorFor({ DESCRIPT_API_TOKEN: TOKEN });
    expectOneLineNaming(error, "CALLBACK_SECRET");
    expect(error.message).toContain("DESCRIPT_API_TOKEN");
    expect(error.message).not.toContain(TOKEN);
  });

  test("sandbox mode does not require CALLBACK_SECRET", () => {
    expect(parseConfig({}).callbackSecret).toBeUndefined();
  });

  test("live mode refuses an http:// DESCRIPT_API_URL, which would carry the token in clear", () => {
    const error = configErrorFor({ DESCRIPT_API_TOKEN: TOKEN, CALLBACK_SECRET: SECRET, DESCRIPT_API_URL: "http://descriptapi.com/v1" });
    expectOneLineNaming(error, "DESCRIPT_API_URL");
    expect(error.message).toContain("https");
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("parseConfig exposure and egress settings", () => {
  test("HOSTNAME defaults to loopback and may be set to any interface", () => {
    expect(parseConfig({}).hostname).toBe("127.0.0.1");
    expect(parseConfig({ HOSTNAME: "0.0.0.0" }).hostname).toBe("0.0.0.0");
    expectOneLineNaming(configErrorFor({ HOSTNAME: "bad host!" }), "HOSTNAME");
  });

  test("RELAY_ALLOWED_HOSTS is a comma-separated list of host:port, empty by default", () => {
    expect(parseConfig({}).relayAllowedHosts).toEqual([]);
    expect(parseConfig({ RELAY_ALLOWED_HOSTS: " 127.0.0.1:3401, hooks.internal:8443 ,[::1]:9000" }).relayAllowedHosts).toEqual([
      "127.0.0.1:3401",
      "hooks.internal:8443",
      "[::1]:9000",
    ]);
    for (const bad of ["127.0.0.1", "http://127.0.0.1:80", "host:port"]) {
      expectOneLineNaming(configErrorFor({ RELAY_ALLOWED_HOSTS: bad }), "RELAY_ALLOWED_HOSTS");
    }
  });
});

describe("parseConfig rejects bad values with a one-line ConfigError naming the variable", () => {
  test.each([
    { variable: "DATABASE_URL", value: "mysql://jobdeck:pw@db.internal/jobdeck" },
    { variable: "DATABASE_URL", value: "postgresql://jobdeck:pw@/jobdeck" },
    { variable: "DATABASE_URL", value: "not a url at all" },
    { variable: "PORT", value: "abc" },
    { variable: "PORT", value: "0" },
    { variable: "PORT", value: "65536" },
    { variable: "PORT", value: "80.5" },
    { variable: "PUBLIC_BASE_URL", value: "ftp://jobs.example.com" },
    { variable: "PUBLIC_BASE_URL", value: "jobs.example.com" },
    { variable: "DESCRIPT_API_URL", value: "javascript:alert(1)" },
    { variable: "JOB_RETENTION_DAYS", value: "0" },
    { variable: "JOB_RETENTION_DAYS", value: "3651" },
    { variable: "JOB_RETENTION_DAYS", value: "2.5" },
    { variable: "JOB_RETENTION_DAYS", value: "forever" },
    { variable: "CALLBACK_SECRET", value: "too-short" },
    { variable: "SANDBOX_PORT", value: "99999" },
    { variable: "SANDBOX_SPEED", value: "0" },
  ])("$variable=$value is refused", ({ variable, value }) => {
    const error = configErrorFor({ [variable]: value });
    expectOneLineNaming(error, variable);
    expect(error.message.startsWith(`Invalid configuration: ${variable} `)).toBe(true);
  });

  test("a value with a line break still gives a one-line message", () => {
    const error = configErrorFor({ PORT: "30\n00" });
    expectOneLineNaming(error, "PORT");
    const multiLineUrl = configErrorFor({ PUBLIC_BASE_URL: "ftp://a\r\nb" });
    expectOneLineNaming(multiLineUrl, "PUBLIC_BASE_URL");
  });

  test("a bad non-secret value is quoted in the message to help find it", () => {
    expect(configErrorFor({ PORT: "abc" }).message).toContain('"abc"');
    expect(configErrorFor({ PUBLIC_BASE_URL: "ftp://jobs.example.com" }).message).toContain('"ftp://jobs.example.com"');
  });

  test("the first bad variable is the one reported, with the others' values absent", () => {
    const error = configErrorFor({ DATABASE_URL, PORT: "abc", CALLBACK_SECRET: SECRET, DESCRIPT_API_TOKEN: TOKEN });
    expectOneLineNaming(error, "PORT");
    for (const secret of [DB_PASSWORD, SECRET, TOKEN]) expect(error.message).not.toContain(secret);
  });
});

describe("parseConfig never echoes a secret", () => {
  test("a malformed DATABASE_URL is named but its value, password included, is not shown", () => {
    const value = `mysql://jobdeck:${DB_PASSWORD}@db.internal/jobdeck`;
    const error = configErrorFor({ DATABASE_URL: value });
    expectOneLineNaming(error, "DATABASE_URL");
    expect(error.message).not.toContain(value);
    expect(error.message).not.toContain(DB_PASSWORD);
    expect(error.message).not.toContain("db.internal");
  });

  test("a DATABASE_URL without a host is named but its password is not shown", () => {
    const error = configErrorFor({ DATABASE_URL: `postgresql://jobdeck:${DB_PASSWORD}@/jobdeck` });
    expectOneLineNaming(error, "DATABASE_URL");
    expect(error.message).not.toContain(DB_PASSWORD);
  });

  test("a too-short CALLBACK_SECRET is named but not shown", () => {
    const shortSecret = "short-secret-xyz";
    const error = configErrorFor({ CALLBACK_SECRET: shortSecret });
    expectOneLineNaming(error, "CALLBACK_SECRET");
    expect(error.message).not.toContain(shortSecret);
  });

  test("a DESCRIPT_API_TOKEN with a too-short CALLBACK_SECRET shows neither", () => {
    const shortSecret = "short-secret-xyz";
    const error = configErrorFor({ DESCRIPT_API_TOKEN: TOKEN, CALLBACK_SECRET: shortSecret });
    expectOneLineNaming(error, "CALLBACK_SECRET");
    expect(error.message).not.toContain(shortSecret);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("parseConfig treats empty strings as unset", () => {
  const VARIABLES = [
    "DATABASE_URL",
    "PORT",
    "PUBLIC_BASE_URL",
    "DESCRIPT_API_URL",
    "DESCRIPT_API_TOKEN",
    "CALLBACK_SECRET",
    "JOB_RETENTION_DAYS",
    "SANDBOX_PORT",
    "SANDBOX_TOKEN",
    "SANDBOX_SPEED",
  ];

  test("an environment of empty strings parses exactly like an empty environment", () => {
    const allEmpty = Object.fromEntries(VARIABLES.map((name) => [name, ""]));
    expect(parseConfig(allEmpty)).toEqual(parseConfig({}));
  });

  test.each(VARIABLES)("%s set to an empty string gives the same config as leaving it out", (name) => {
    expect(parseConfig({ [name]: "" })).toEqual(parseConfig({}));
  });

  test("an empty DESCRIPT_API_TOKEN keeps sandbox mode and so needs no CALLBACK_SECRET", () => {
    const config = parseConfig({ DESCRIPT_API_TOKEN: "" });
    expect(config.descriptMode).toBe("sandbox");
    expect(config.descriptApiToken).toBe(DEFAULT_SANDBOX_TOKEN);
  });

  test("an empty CALLBACK_SECRET in live mode counts as missing", () => {
    expectOneLineNaming(configErrorFor({ DESCRIPT_API_TOKEN: TOKEN, CALLBACK_SECRET: "" }), "CALLBACK_SECRET");
  });
});

describe("parseConfig strips trailing slashes", () => {
  test("from PUBLIC_BASE_URL", () => {
    expect(parseConfig({ PUBLIC_BASE_URL: "https://jobs.example.com/" }).publicBaseUrl).toBe("https://jobs.example.com");
    expect(parseConfig({ PUBLIC_BASE_URL: "https://example.com/jobdeck///" }).publicBaseUrl).toBe("https://example.com/jobdeck");
  });

  test("from DESCRIPT_API_URL", () => {
    expect(parseConfig({ DESCRIPT_API_URL: "http://127.0.0.1:4010/v1/" }).descriptApiUrl).toBe("http://127.0.0.1:4010/v1");
    expect(
      parseConfig({ DESCRIPT_API_TOKEN: TOKEN, CALLBACK_SECRET: SECRET, DESCRIPT_API_URL: "https://descriptapi.com/v1//" })
        .descriptApiUrl,
    ).toBe("https://descriptapi.com/v1");
  });

  test("a URL without a trailing slash is left as it is", () => {
    expect(parseConfig({ PUBLIC_BASE_URL: "http://localhost:3000" }).publicBaseUrl).toBe("http://localhost:3000");
  });
});
