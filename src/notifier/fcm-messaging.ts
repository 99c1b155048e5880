import { Agent } from "node:https";
import { connect, type Socket } from "node:net";
import { type App, applicationDefault, type Credential, deleteApp, initializeApp } from "firebase-admin/app";
import { getMessaging, type Messaging } from "firebase-admin/messaging";

export interface FcmMessagingOptions {
  /** firebase-admin keeps apps in a registry by name; each notifier gets its own, deleted on close. */
  appName: string;
  /** The Firebase project; unset: from the credentials. */
  projectId?: string;
  /**
   * Testing and emulators only: a loopback `http://host:port` that receives FCM's HTTP requests in
   * place of fcm.googleapis.com. A fixed dummy access token is sent; real credentials never are.
   */
  endpoint?: string;
}

export interface FcmMessaging {
  messaging: Messaging;
  close(): Promise<void>;
}

/**
 * firebase-admin messaging for one notifier. Credentials come from GOOGLE_APPLICATION_CREDENTIALS
 * (Application Default Credentials), the ecosystem's convention.
 *
 * With `endpoint`: FCM's host is hard-coded in the SDK and messaging has no emulator variable, so
 * the SDK is given an HTTPS agent whose connections are plain TCP to the endpoint, and the legacy
 * HTTP/1.1 transport (the default HTTP/2 transport ignores the agent). Everything else, message
 * validation, the request and the error mapping, is the SDK's real code path.
 */
export function createFcmMessaging(options: FcmMessagingOptions): FcmMessaging {
  let app: App;
  if (options.endpoint !== undefined) {
    const url = new URL(options.endpoint);
    app = initializeApp(
      {
        credential: DUMMY_CREDENTIAL,
        projectId: options.projectId ?? "bridgelog-local",
        httpAgent: new LoopbackAgent(url.hostname.replace(/^\[|\]$/g, ""), Number(url.port)),
      },
      options.appName,
    );
  } else {
    app = initializeApp(
      { credential: applicationDefault(), ...(options.projectId === undefined ? {} : { projectId: options.projectId }) },
      options.appName,
    );
  }
  const messaging = getMessaging(app);
  if (options.endpoint !== undefined) messaging.enableLegacyHttpTransport();
  return { messaging, close: () => deleteApp(app) };
}

const DUMMY_CREDENTIAL: Credential = {
  getAccessToken: async () => ({ access_token: "bridgelog-fcm-endpoint", expires_in: 3600 }),
};

/** An HTTPS agent that speaks plain HTTP/1.1 to a loopback endpoint, whatever host is asked for. */
class LoopbackAgent extends Agent {
  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    super({ keepAlive: true });
  }

  override createConnection(): Socket {
    return connect(this.port, this.host);
  }
}
