import { describe, expect, test } from "vitest";
import { signCallbackToken, verifyCallbackToken } from "@/lib/jobs/callback-token";

const SECRET = "callback-secret-for-unit-tests-0123456789";
const OTHER_SECRET = "another-callback-secret-0123456789abcdef";
const JOB_ID = "3f2b8c1e-7d4a-4e9b-a1c2-5d6e7f8a9b0c";
const OTHER_JOB_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

function splitToken(token: string): { id: string; signature: string } {
  const [id, signature] = token.split(".");
  return { id: id!, signature: signature! };
}

/** The same signature with one character changed to another base64url character. */
function flipCharacter(signature: string, index: number): string {
  const replacement = signature[index] === "A" ? "B" : "A";
  return signature.slice(0, index) + replacement + signature.slice(index + 1);
}

describe("signCallbackToken", () => {
  test("a token is the job id, a dot and a base64url signature", () => {
    const token = signCallbackToken(JOB_ID, SECRET);
    const { id, signature } = splitToken(token);
    expect(id).toBe(JOB_ID);
    // HMAC-SHA256 is 32 bytes: 43 base64url characters without padding.
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("signing is deterministic for one id and secret", () => {
    expect(signCallbackToken(JOB_ID, SECRET)).toBe(signCallbackToken(JOB_ID, SECRET));
  });

  test("different secrets or different ids give different signatures", () => {
    const base = splitToken(signCallbackToken(JOB_ID, SECRET)).signature;
    expect(splitToken(signCallbackToken(JOB_ID, OTHER_SECRET)).signature).not.toBe(base);
    expect(splitToken(signCallbackToken(OTHER_JOB_ID, SECRET)).signature).not.toBe(base);
  });
});

describe("verifyCallbackToken", () => {
  test("a token verifies under the secret it was signed with and yields the job id", () => {
    expect(verifyCallbackToken(signCallbackToken(JOB_ID, SECRET), SECRET)).toBe(JOB_ID);
    expect(verifyCallbackToken(signCallbackToken(OTHER_JOB_ID, OTHER_SECRET), OTHER_SECRET)).toBe(OTHER_JOB_ID);
  });

  test("a token signed with another secret is refused", () => {
    expect(verifyCallbackToken(signCallbackToken(JOB_ID, OTHER_SECRET), SECRET)).toBeNull();
  });

  test("another job's id with this job's signature is refused", () => {
    const { signature } = splitToken(signCallbackToken(JOB_ID, SECRET));
    expect(verifyCallbackToken(`${OTHER_JOB_ID}.${signature}`, SECRET)).toBeNull();
  });

  test("an id changed by one character is refused", () => {
    const { signature } = splitToken(signCallbackToken(JOB_ID, SECRET));
    const tamperedId = `${JOB_ID.slice(0, -1)}d`;
    expect(tamperedId).not.toBe(JOB_ID);
    expect(verifyCallbackToken(`${tamperedId}.${signature}`, SECRET)).toBeNull();
  });

  test.each([0, 10, 42])("a signature changed at character %i is refused", (index) => {
    const { id, signature } = splitToken(signCallbackToken(JOB_ID, SECRET));
    const tampered = flipCharacter(signature, index);
    expect(tampered).not.toBe(signature);
    expect(tampered).toHaveLength(signature.length);
    expect(verifyCallbackToken(`${id}.${tampered}`, SECRET)).toBeNull();
  });

  test.each([1, 10, 42])("a signature cut short by %i characters is refused", (cut) => {
    const { id, signature } = splitToken(signCallbackToken(JOB_ID, SECRET));
    expect(verifyCallbackToken(`${id}.${signature.slice(0, signature.length - cut)}`, SECRET)).toBeNull();
  });

  test("a signature with extra characters appended is refused", () => {
    const token = signCallbackToken(JOB_ID, SECRET);
    expect(verifyCallbackToken(`${token}A`, SECRET)).toBeNull();
  });

  test("a signature padded with = is refused", () => {
    const token = signCallbackToken(JOB_ID, SECRET);
    expect(verifyCallbackToken(`${token}=`, SECRET)).toBeNull();
  });

  test("a signature of the right length in multi-byte characters is refused without throwing", () => {
    const { id, signature } = splitToken(signCallbackToken(JOB_ID, SECRET));
    const withAccent = `é${signature.slice(1)}`;
    expect(() => verifyCallbackToken(`${id}.${withAccent}`, SECRET)).not.toThrow();
    expect(verifyCallbackToken(`${id}.${withAccent}`, SECRET)).toBeNull();
  });

  test.each([".extra", ".", "..", ".a.b"])("a valid token followed by %j is refused", (suffix) => {
    expect(verifyCallbackToken(`${signCallbackToken(JOB_ID, SECRET)}${suffix}`, SECRET)).toBeNull();
  });

  test.each(["job-42", "not-a-uuid", `${JOB_ID}0`, "", " ", "../../etc/passwd"])(
    "a correctly signed token for the non-uuid id %j is refused",
    (id) => {
      expect(verifyCallbackToken(signCallbackToken(id, SECRET), SECRET)).toBeNull();
    },
  );

  test.each(["", ".", JOB_ID, `${JOB_ID}.`, `.${splitToken(signCallbackToken(JOB_ID, SECRET)).signature}`])(
    "the malformed token %j is refused",
    (token) => {
      expect(verifyCallbackToken(token, SECRET)).toBeNull();
    },
  );
});
