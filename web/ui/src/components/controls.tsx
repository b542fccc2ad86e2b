// Small building blocks every app shares: buttons, labelled fields, skeletons, alerts.
import { type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, useId } from 'react';

const variants = {
  primary: 'bg-accent text-accent-fg hover:opacity-90',
  secondary: 'bg-surface text-fg border border-border hover:bg-muted',
  danger: 'bg-surface text-danger border border-danger hover:bg-muted',
  ghost: 'text-fg hover:bg-muted',
} as const;

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** @default 'primary' */
  variant?: keyof typeof variants;
}

export function Button({ variant = 'primary', className = '', type = 'button', ...props }: ButtonProps) {
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50 ${variants[variant]} ${className}`}
      {...props}
    />
  );
}

export interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: string;
}

export function TextField({ label, hint, className = '', ...props }: TextFieldProps) {
  const id = useId();
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="rounded-md border border-border bg-surface px-3 py-2 text-base text-fg focus-visible:outline-2 focus-visible:outline-accent"
        {...props}
      />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-fg-muted">
          {hint}
        </p>
      )}
    </div>
  );
}

export function Skeleton({ className = '', label }: { className?: string; label?: string }) {
  return (
    <div aria-hidden={label ? undefined : true} className={`animate-pulse rounded-md bg-muted ${className}`}>
      {label && <span className="sr-only">{label}</span>}
    </div>
  );
}

export function Alert({ tone = 'danger', children }: { tone?: 'danger' | 'warning' | 'info'; children: ReactNode }) {
  const colour = tone === 'danger' ? 'border-danger text-danger' : tone === 'warning' ? 'border-warning text-warning' : 'border-border text-fg';
  return (
    <div role={tone === 'info' ? 'status' : 'alert'} className={`rounded-md border bg-surface px-4 py-3 text-sm ${colour}`}>
      {children}
    </div>
  );
}

export function Card({ children, className = '', ...props }: { children: ReactNode; className?: string } & React.HTMLAttributes<HTMLElement>) {
  return (
    <section className={`rounded-lg border border-border bg-surface p-5 ${className}`} {...props}>
      {children}
    </section>
  );
}
