import { type FormEvent, useId } from "react";
import { useScope } from "./console-context.js";
import { ERROR_TYPES, errorTypeName } from "./format.js";
import { type ConsoleState, navigate } from "./url-state.js";

const LABELS: Record<string, string> = {
  provider: "Provider",
  model: "Model",
  feature: "Feature",
  initiator: "Initiator",
  key: "Key",
  types: "Error type",
  outcome: "Outcome",
};

/** The filters every view applies, as a form and as removable chips of what is applied. */
export function FilterBar() {
  const { state } = useScope();
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: string) => String(data.get(name) ?? "").trim();
    const type = value("type");
    navigate({
      provider: value("provider").toLowerCase(),
      model: value("model"),
      feature: value("feature"),
      initiator: value("initiator"),
      key: value("key"),
      types: type === "" ? [] : [type],
      outcome: state.view === "interceptions" ? value("outcome") : state.outcome,
      id: "",
    });
  };
  const active = (Object.keys(LABELS) as (keyof ConsoleState)[]).filter((key) =>
    key === "types" ? state.types.length > 0 : key === "outcome" ? state.view === "interceptions" && state.outcome !== "" : state[key] !== "",
  );
  // The form is keyed by the filters, so it shows what the URL says after Back or a chart click.
  const formKey = [state.provider, state.model, state.feature, state.initiator, state.key, state.types.join(","), state.outcome].join("|");
  return (
    <section className="filters" aria-label="Filters">
      <form key={formKey} onSubmit={submit}>
        {(["provider", "model", "feature", "initiator"] as const).map((name) => (
          <label key={name} htmlFor={`${id}-${name}`}>
            {LABELS[name]}
            <input id={`${id}-${name}`} name={name} defaultValue={state[name]} autoComplete="off" placeholder="any" />
          </label>
        ))}
        <label htmlFor={`${id}-key`}>
          Key
          <select id={`${id}-key`} name="key" defaultValue={state.key}>
            <option value="">any</option>
            <option value="platform">platform</option>
            <option value="byok">BYOK</option>
          </select>
        </label>
        <label htmlFor={`${id}-type`}>
          Error type
          <select id={`${id}-type`} name="type" defaultValue={state.types[0] ?? ""}>
            <option value="">any</option>
            {ERROR_TYPES.map((t) => (
              <option key={t} value={errorTypeName(t)}>
                {errorTypeName(t)}
              </option>
            ))}
          </select>
        </label>
        {state.view === "interceptions" && (
          <label htmlFor={`${id}-outcome`}>
            Outcome
            <select id={`${id}-outcome`} name="outcome" defaultValue={state.outcome}>
              <option value="">any</option>
              <option value="failed">failed</option>
              <option value="succeeded">succeeded</option>
              <option value="in_progress">in progress</option>
            </select>
          </label>
        )}
        <button type="submit">Apply filters</button>
      </form>
      {active.length > 0 && (
        <ul className="chips" aria-label="Applied filters">
          {active.map((key) => {
            const shown = key === "types" ? state.types.join(", ") : String(state[key]);
            return (
              <li key={key}>
                {LABELS[key]}: <strong>{shown === "" ? "(none)" : shown}</strong>{" "}
                <button
                  type="button"
                  aria-label={`Remove filter ${LABELS[key]} ${shown}`}
                  onClick={() => navigate({ [key]: key === "types" ? [] : "", id: "" })}
                >
                  ×
                </button>
              </li>
            );
          })}
          <li>
            <button type="button" className="quiet" onClick={() => navigate({ provider: "", model: "", feature: "", initiator: "", key: "", types: [], outcome: "", id: "" })}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </section>
  );
}
