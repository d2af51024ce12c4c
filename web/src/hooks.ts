/**
 * @module hooks
 * Small state helpers the pages share: a debounced value for live previews, and polling that
 * pauses while the tab is hidden so an idle console costs the server nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Runs `load` now and every `ms` while the page is visible (and `active`), never two at once.
 * Changing `deps` starts over.
 */
export function usePoll(load: (signal: AbortSignal) => Promise<void>, ms: number, deps: unknown[], active = true) {
  const latest = useRef(load);
  latest.current = load;
  // `deps` names what restarts the poll; `load` itself is read fresh on every tick.
  useEffect(() => {
    if (!active) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      if (document.visibilityState !== 'hidden') {
        try {
          await latest.current(abort.signal);
        } catch {
          // The page shows its own error state; polling goes on.
        }
      }
      if (!stopped) timer = setTimeout(tick, ms);
    };
    void tick();
    return () => {
      stopped = true;
      abort.abort();
      clearTimeout(timer);
    };
  }, [...deps, ms, active]);
}

/**
 * The polled value and the last error, for pages that show one snapshot refreshed every `ms`:
 * a failed refresh keeps the last good value on screen beside the error.
 */
export function usePolled<T>(
  load: (signal: AbortSignal) => Promise<T>,
  ms: number,
  deps: unknown[],
  active = true,
): { data: T | null; error: unknown } {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  usePoll(
    async (signal) => {
      try {
        const data = await load(signal);
        setState({ data, error: null });
      } catch (err) {
        if (!signal.aborted) setState((s) => ({ data: s.data, error: err }));
      }
    },
    ms,
    deps,
    active,
  );
  return state;
}

/** A value loaded once per change of `deps` (a list, a record), with the error if it failed. */
export function useLoaded<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown } {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ data, error: null }),
      (error: unknown) => current && setState((s) => ({ data: s.data, error })),
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}
