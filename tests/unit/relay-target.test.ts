import { describe, expect, it } from "vitest";
import { isInternalAddress, isInternalDestination } from "@/lib/jobs/relay-target";

describe("relay destinations", () => {
  it.each(["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.10", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "not-an-ip"])(
    "%s is internal",
    (address) => expect(isInternalAddress(address)).toBe(true),
  );

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:93.184.216.34"])("%s is public", (address) =>
    expect(isInternalAddress(address)).toBe(false),
  );

  it("judges a URL by the address literal it names, without a lookup", async () => {
    await expect(isInternalDestination("http://127.0.0.1:8080/hook")).resolves.toBe(true);
    await expect(isInternalDestination("http://[::1]/hook")).resolves.toBe(true);
    await expect(isInternalDestination("https://93.184.216.34/hook")).resolves.toBe(false);
  });

  it("looks a host name up: localhost is internal", async () => {
    // Resolved from /etc/hosts, so the test needs no DNS server.
    await expect(isInternalDestination("http://localhost:3000/hook")).resolves.toBe(true);
  });
});
