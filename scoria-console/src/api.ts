// The management API of docs/api.md, and nothing else: the console has no private endpoints.

const TOKEN_KEY = "scoria.adminToken";

export interface ModelRef { id: string; name: string; version: number }
export interface Service {
  name: string; description: string; kvTags: Record<string, string>; properties: Record<string, string>;
  state: "Transitioning" | "Healthy" | "Failed" | string; error: { code: string; message: string } | null;
  createdTime: string; updatedTime: string; runtime: string; models: ModelRef[];
  scoringUri: string; swaggerUri: string; authMode: "key" | "token" | "none";
  scoringTimeoutMs: number; maxConcurrentRequestsPerContainer: number; maxQueueWaitMs: number;
  corsOrigins?: string[];
  /** One or more (a simple service has one, "default"), with the live split and the mirror. */
  deployments?: Deployment[]; traffic?: Record<string, number>; mirrorTraffic?: Record<string, number>;
}
export interface Deployment {
  name: string; state: "Transitioning" | "Healthy" | "Failed" | string; error: { code: string; message: string } | null;
  trafficPercent: number; mirrorTrafficPercent: number; primary: boolean;
  models: ModelRef[]; runtime: string; generation: number;
}
export interface Model {
  id: string; name: string; version: number; framework: string; description: string;
  kvTags: Record<string, string>; properties: Record<string, string>; size: number; createdTime: string;
}
export interface Keys { primaryKey: string; secondaryKey: string }
export interface AccessToken { accessToken: string; tokenType: string; refreshAfter: number; expiryOn: number }
export interface Operation { id: string; serviceName: string; state: string; error?: { message: string } }

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function adminToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setAdminToken(token: string | null): void {
  if (token === null) {
    sessionStorage.removeItem(TOKEN_KEY);
  } else {
    sessionStorage.setItem(TOKEN_KEY, token);
  }
}

/** Called when the server refuses the token (rotated, or a typo): the app goes back to sign-in. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

async function call(method: string, path: string, body?: unknown, token = adminToken()): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const error = await response.json();
      if (error && typeof error.message === "string") {
        message = error.message;
      }
    } catch {
      // Not JSON: the status line says enough.
    }
    // A refused stored token (rotated, or the server's data directory changed) ends the session;
    // a token being tried at sign-in is only reported.
    if (response.status === 401 && token !== null && token === adminToken()) {
      onUnauthorized();
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await call(method, path, body)).json() as Promise<T>;
}

const enc = encodeURIComponent;

export const api = {
  /** Checks a token without storing it: the workspace description opens to the admin token and to access tokens of every role. */
  async verify(token: string): Promise<void> {
    await call("GET", "/api/v1/workspace", undefined, token);
  },
  services: async () => (await json<{ value: Service[] }>("GET", "/api/v1/services")).value,
  service: (name: string) => json<Service>("GET", `/api/v1/services/${enc(name)}`),
  models: async () => (await json<{ value: Model[] }>("GET", "/api/v1/models")).value,
  keys: (name: string) => json<Keys>("POST", `/api/v1/services/${enc(name)}/listkeys`),
  regenerate: (name: string, keyType: "Primary" | "Secondary") =>
    json<Keys>("POST", `/api/v1/services/${enc(name)}/regenerateKeys`, { keyType, keyValue: null }),
  token: (name: string) => json<AccessToken>("POST", `/api/v1/services/${enc(name)}/token`),
  logs: async (name: string, tail: number) =>
    (await json<{ content: string }>("GET", `/api/v1/services/${enc(name)}/logs?tail=${tail}`)).content,
  async deploy(request: Record<string, unknown>): Promise<{ service: Service; operation: string | null }> {
    const response = await call("POST", "/api/v1/services", request);
    return { service: (await response.json()) as Service, operation: response.headers.get("Operation-Location") };
  },
  /** PUT …/traffic: live shares summing to 100; answers the service. */
  setTraffic: (name: string, split: Record<string, number>) => json<Service>("PUT", `/api/v1/services/${enc(name)}/traffic`, split),
  /** PUT …/mirror: one deployment and its share, or {} for none; answers the service. */
  setMirror: (name: string, mirror: Record<string, number>) => json<Service>("PUT", `/api/v1/services/${enc(name)}/mirror`, mirror),
  operation: (location: string) => json<Operation>("GET", location),
  /** Prometheus text, or null when metrics are served on a separate port (404 here). */
  async metrics(): Promise<string | null> {
    try {
      return await (await call("GET", "/metrics", undefined)).text();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        return null;
      }
      throw e;
    }
  },
};

/**
 * The console calls a service at the origin that served the console: a reported URI carries the
 * host the server was asked with, which for a proxied or renamed host may not be this page's.
 */
/** Pins a scoring request to one deployment; every answer names the deployment that answered with it. */
export const DEPLOYMENT_HEADER = "azureml-model-deployment";

export function sameOrigin(uri: string): string {
  const url = new URL(uri, location.href);
  return url.pathname + url.search;
}
