import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createApiClient } from '../api/client';
import { toProblem } from '../api/problem';
import type { Problem } from '../api/types';
import { ProblemView } from '../app/ProblemView';
import { setApiKey } from './session';
import { Labelled } from '../app/Labelled';

/** Asks for the API key and checks it against the server before keeping it. */
export function SignIn() {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = key.trim();
    setProblem(null);
    if (!trimmed) {
      setError(t('signIn.empty'));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      // A probe client: the key is stored only once the server has accepted it.
      await createApiClient({ getKey: () => trimmed }).me();
      setApiKey(trimmed);
    } catch (err) {
      const p = toProblem(err);
      if (p.status === 401) setError(t('signIn.rejected'));
      else setProblem(p);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        <p>{t('signIn.intro')}</p>
        <Labelled label={t('signIn.key')}>
          <input
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'sign-in-error' : undefined}
          />
        </Labelled>
        {error && (
          <p id="sign-in-error" role="alert" className="field-error">
            {error}
          </p>
        )}
        {problem && <ProblemView problem={problem} />}
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.checking') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
