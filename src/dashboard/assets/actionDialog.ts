import { ApiProblem } from './api.js';
import { byId } from './dom.js';

/** An action a person takes from the page: what it does, and the call that does it. */
export interface Action {
  title: string;
  /** What it will do, in a sentence. */
  what: string;
  confirm: string;
  /** Whether to ask until when (a freeze). */
  askUntil?: boolean;
  run(reason: string, until: string | undefined): Promise<unknown>;
  /** What to say once it was done. */
  done: string;
}

/**
 * Asks for the reason of each action in the page's dialog, then runs it. Shepherd's refusal is shown in
 * the dialog with its `detail`, which stays open; once the action was done, `onDone` says so.
 */
export function actionDialog(onDone: (said: string) => void): (action: Action) => void {
  const dialog = byId('action') as HTMLDialogElement;
  const form = byId('action-form') as HTMLFormElement;
  const reason = byId('action-reason') as HTMLTextAreaElement;
  const untilRow = byId('action-until-row');
  const until = byId('action-until') as HTMLInputElement;
  const problem = byId('action-problem');
  const confirm = byId('action-confirm') as HTMLButtonElement;
  let current: Action | undefined;

  byId('action-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const action = current;
    if (action === undefined) return;
    confirm.disabled = true;
    problem.hidden = true;
    // datetime-local is the reader's local time; the API wants an instant.
    const untilIso =
      action.askUntil === true && until.value !== '' ? new Date(until.value).toISOString() : undefined;
    action.run(reason.value.trim(), untilIso).then(
      () => {
        dialog.close();
        onDone(action.done);
      },
      (err: unknown) => {
        problem.textContent =
          err instanceof ApiProblem ? err.message : 'Shepherd could not be reached; try again.';
        problem.hidden = false;
        confirm.disabled = false;
      },
    );
  });

  return (action) => {
    current = action;
    byId('action-title').textContent = action.title;
    byId('action-what').textContent = action.what;
    confirm.textContent = action.confirm;
    confirm.disabled = false;
    reason.value = '';
    until.value = '';
    untilRow.hidden = action.askUntil !== true;
    problem.hidden = true;
    dialog.showModal();
    reason.focus();
  };
}
