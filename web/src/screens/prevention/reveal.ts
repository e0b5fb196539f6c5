// A form opened in place by a button that it replaces: the focus moves to the form's
// first field when it opens, and back to the button when it is cancelled, so that a
// keyboard or screen-reader user is never left on a control that went away.
import { useRef, useState } from 'preact/hooks';

export function useReveal() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const area = useRef<HTMLDivElement>(null);
  return {
    open,
    button,
    area,
    show: () => {
      setOpen(true);
      setTimeout(() => area.current?.querySelector<HTMLElement>('input, select, textarea')?.focus(), 0);
    },
    // After a cancel the focus goes back to the button; after a success the screen
    // moves it to its notice.
    hide: (returnFocus: boolean) => {
      setOpen(false);
      if (returnFocus) setTimeout(() => button.current?.focus(), 0);
    },
  };
}
