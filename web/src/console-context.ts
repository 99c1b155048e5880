import { createContext, useContext } from "react";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { InterceptionFilterSchema } from "../../gen/bridgelog/v1/query_service_pb.js";
import type { TimeWindow } from "./time-window.js";
import type { ConsoleState } from "./url-state.js";

/** What every view of the console shares: where it looks, and how often it looks again. */
export interface ConsoleScope {
  state: ConsoleState;
  /** "" with a tenant-bound token: the server uses the token's tenant. */
  tenantId: string;
  window: TimeWindow;
  filter: MessageInitShape<typeof InterceptionFilterSchema>;
  /** Milliseconds between refreshes, or false while paused. */
  refetchInterval: number | false;
  signOut: () => void;
}

export const ScopeContext = createContext<ConsoleScope | undefined>(undefined);

export function useScope(): ConsoleScope {
  const scope = useContext(ScopeContext);
  if (scope === undefined) throw new Error("useScope outside the console");
  return scope;
}
