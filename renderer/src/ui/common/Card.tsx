import { useId, type ReactNode } from 'react';

/** A titled group, like a section of a macOS settings pane. */
export function Card({ title, action, children, className }: { title: string; action?: ReactNode; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`card${className ? ` ${className}` : ''}`} aria-labelledby={id}>
      <header className="card-head">
        <h2 id={id} className="card-title">
          {title}
        </h2>
        {action}
      </header>
      {children}
    </section>
  );
}
