/**
 * The bridgelog console: an overview of a tenant's LLM traffic, its interceptions and threads, and
 * the state of its users' own keys. React over Connect-web, with connect-query and TanStack Query
 * caching and refreshing each query; served by the bridgelog server that it queries.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import "./style.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The console refreshes on its own schedule (pausable); errors are shown in place at once.
      retry: false,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
