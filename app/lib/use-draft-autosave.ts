import { type FormEvent, useEffect, useRef, useState } from "react";
import { useNavigation, useSubmit } from "react-router";

const AUTOSAVE_MS = 3000;

/**
 * A draft form that saves itself a few seconds after the last change, by POSTing the form to `url`
 * (an endpoint answering `{ ok, version, savedAt }` or `{ ok: false, message }`). The form's version
 * follows each answer, so the next save or the final submit is not refused as stale; a submit pressed
 * while a save is on its way waits for it. A 409 is not retried: the draft changed elsewhere.
 */
export function useDraftAutosave(opts: {
  url: string;
  enabled: boolean;
  /** The version the page was loaded with, and any the last action answered. */
  versions: number[];
  /** The last save's time as the page was loaded, and after the last action. */
  savedAt: string | null;
  actionSavedAt?: string;
}) {
  const nav = useNavigation();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const version = useRef(Math.max(...opts.versions));
  version.current = Math.max(version.current, ...opts.versions);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState(opts.savedAt);
  const [failed, setFailed] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const inFlight = useRef<Promise<void> | null>(null);

  useEffect(() => {
    if (opts.actionSavedAt) setSavedAt(opts.actionSavedAt);
  }, [opts.actionSavedAt]);

  useEffect(() => {
    if (!dirty || !opts.enabled || nav.state !== "idle") return;
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const fd = new FormData(formRef.current);
      fd.set("version", String(version.current));
      setDirty(false);
      inFlight.current = fetch(opts.url, {
        method: "POST",
        body: fd,
        headers: { Accept: "application/json" },
      })
        .then(async (res) => {
          const answer = (await res.json()) as {
            ok: boolean;
            version?: number;
            savedAt?: string;
            message?: string;
          };
          if (answer.ok && answer.version) {
            version.current = Math.max(version.current, answer.version);
            setSavedAt(answer.savedAt ?? null);
            setFailed(null);
          } else {
            if (res.status !== 409) setDirty(true);
            setFailed(answer.message ?? "自动保存失败，请点【保存草稿】");
          }
        })
        .catch(() => {
          setDirty(true);
          setFailed("自动保存失败，请检查网络后点【保存草稿】");
        })
        .finally(() => {
          inFlight.current = null;
        });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer.current);
  }, [dirty, opts.enabled, nav.state, opts.url]);

  return {
    formRef,
    /** The version to post: for the form's hidden `version` input. */
    version: version.current,
    savedAt,
    failed,
    onChange: () => setDirty(true),
    onSubmit: (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      clearTimeout(timer.current);
      const fd = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
      const send = () => {
        fd.set("version", String(version.current));
        submit(fd, { method: "post" });
      };
      setDirty(false);
      if (inFlight.current) inFlight.current.then(send);
      else send();
    },
  };
}
