import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';

/**
 * A control with a visible label tied by id. The label does not wrap the control, so the
 * control's accessible name is exactly the label (a wrapping label would add the control's
 * current value to it, and tests could not find it by name).
 */
export function Labelled({ label, children, after }: { label: ReactNode; children: ReactElement<{ id?: string }>; after?: ReactNode }) {
  const id = useId();
  return (
    <div className="labelled">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id })}
      {after}
    </div>
  );
}
