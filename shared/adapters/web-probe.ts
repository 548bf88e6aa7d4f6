import { createHash } from "node:crypto";
import { connect } from "node:tls";

/**
 * What the automatic checks and the inspection ask of the web: fetch a page (status,
 * time taken, a hash of its content) and read a site's TLS certificate. Plain `fetch`
 * and `tls`, so they run the same in Lambda, on the local stack and in tests (against
 * a page server of their own).
 */

export interface PageProbe {
  url: string;
  ok: boolean;
  status?: number;
  ms: number;
  /** sha256 of the body, when it answered */
  hash?: string;
  error?: string;
}

export interface CertificateProbe {
  host: string;
  /** ISO instant the certificate expires */
  validTo?: string;
  error?: string;
}

export interface WebProbe {
  page(url: string): Promise<PageProbe>;
  certificate(url: string): Promise<CertificateProbe>;
}

const TIMEOUT_MS = 10_000;

export const httpProbe: WebProbe = {
  async page(url) {
    const started = performance.now();
    try {
      const res = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(TIMEOUT_MS), headers: { "user-agent": "gongkai-site-check" } });
      const body = Buffer.from(await res.arrayBuffer());
      const ms = Math.round(performance.now() - started);
      return { url, ok: res.status >= 200 && res.status < 400, status: res.status, ms, hash: createHash("sha256").update(body).digest("hex") };
    } catch (error) {
      return { url, ok: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
    }
  },
  certificate(url) {
    const { hostname, port } = new URL(url);
    return new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port || 443), servername: hostname, timeout: TIMEOUT_MS }, () => {
        const cert = socket.getPeerCertificate();
        socket.end();
        resolve(cert?.valid_to ? { host: hostname, validTo: new Date(cert.valid_to).toISOString() } : { host: hostname, error: "未取得证书" });
      });
      socket.on("timeout", () => {
        socket.destroy();
        resolve({ host: hostname, error: "连接超时" });
      });
      socket.on("error", (e) => resolve({ host: hostname, error: e.message }));
    });
  },
};
