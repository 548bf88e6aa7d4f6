import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpAt } from "../../../shared/domain/accounts/totp";

/** RFC 6238 appendix B (SHA-1, 8 digits) and RFC 4226 appendix D: the implementation is the RFC's. */
const rfcKey = Buffer.from("12345678901234567890", "ascii");

describe("TOTP (RFC 6238)", () => {
  it("reproduces the RFC 6238 test vectors for SHA-1", () => {
    const vectors: Array<[number, string]> = [
      [59, "94287082"],
      [1111111109, "07081804"],
      [1111111111, "14050471"],
      [1234567890, "89005924"],
      [2000000000, "69279037"],
      [20000000000, "65353130"],
    ];
    for (const [seconds, code] of vectors) expect(totpAt(rfcKey, new Date(seconds * 1000), 8)).toBe(code);
  });

  it("reproduces the RFC 4226 HOTP values", () => {
    expect([0, 1, 2, 3, 9].map((c) => hotp(rfcKey, c))).toEqual(["755224", "287082", "359152", "969429", "520489"]);
  });

  it("round-trips base32 and refuses what is not base32", () => {
    expect(base32Encode(rfcKey)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")!.equals(rfcKey)).toBe(true);
    expect(base32Decode("not-base32!")).toBeUndefined();
  });

  it("accepts the current code and one step either side, nothing further, and tells the step it matched", () => {
    const secret = base32Encode(rfcKey);
    const at = new Date(1111111111 * 1000);
    const step = Math.floor(1111111111 / 30);
    expect(matchTotp(secret, totpAt(rfcKey, at), at)).toBe(step);
    expect(matchTotp(secret, totpAt(rfcKey, new Date(at.getTime() - 30_000)), at)).toBe(step - 1);
    expect(matchTotp(secret, totpAt(rfcKey, new Date(at.getTime() + 30_000)), at)).toBe(step + 1);
    expect(matchTotp(secret, totpAt(rfcKey, new Date(at.getTime() + 90_000)), at)).toBeUndefined();
    expect(matchTotp(secret, "12345", at)).toBeUndefined();
  });

  it("writes the otpauth URI an authenticator app reads", () => {
    expect(otpauthUri("ABC", "wangmin@001", "政务公开")).toBe(`otpauth://totp/${encodeURIComponent("政务公开")}:wangmin%40001?secret=ABC&issuer=${encodeURIComponent("政务公开")}&algorithm=SHA1&digits=6&period=30`);
  });
});
