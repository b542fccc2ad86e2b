import { useEffect, useState } from 'react';
import type { ViewerTheme } from './viewer-scene.ts';

function detect(): ViewerTheme {
  const root = document.documentElement;
  const declared = root.dataset.theme ?? (root.classList.contains('dark') ? 'dark' : root.classList.contains('light') ? 'light' : undefined);
  if (declared === 'dark' || declared === 'light') return declared;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The app's theme (a `dark`/`light` class or `data-theme` on <html>), else the system's, kept current. */
export function useTheme(preference: 'light' | 'dark' | 'auto'): ViewerTheme {
  const [theme, setTheme] = useState<ViewerTheme>(() => (preference === 'auto' ? detect() : preference));
  useEffect(() => {
    if (preference !== 'auto') {
      setTheme(preference);
      return;
    }
    const update = () => setTheme(detect());
    update();
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    media?.addEventListener('change', update);
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'data-theme'] });
    return () => {
      media?.removeEventListener('change', update);
      observer.disconnect();
    };
  }, [preference]);
  return theme;
}
