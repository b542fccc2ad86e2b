import { type CSSProperties, useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatLabel } from './messages.ts';
import { inferFormat } from './model-format.ts';
import type { ModelViewerProps } from './model-viewer-types.ts';
import { isModelParseError, type ModelParseErrorReason } from './parse/model-parse-error.ts';
import type { Vec3 } from './parse/triangle-soup.ts';
import { createModelParser, type ModelParser, ParseCancelledError } from './parse-in-worker.ts';
import { useTheme } from './use-theme.ts';
import { createViewerScene, type ViewerScene } from './viewer-scene.ts';

type State =
  | { status: 'loading' }
  /** `drawn` turns true once the model is on screen: a large one goes to the GPU over a few frames. */
  | { status: 'ready'; size: Vec3; triangles: number; drawn: boolean }
  | { status: 'error'; reason: ModelParseErrorReason };

const frameStyle: CSSProperties = { position: 'relative', margin: 0, width: '100%' };
const stageStyle: CSSProperties = { position: 'relative', width: '100%', aspectRatio: '4 / 3', borderRadius: 'inherit', overflow: 'hidden' };
const canvasStyle = 'display:block;width:100%;height:100%;touch-action:none;outline-offset:-3px';
const overlayStyle: CSSProperties = {
  position: 'absolute',
  inset: 0,
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  padding: '1rem',
  textAlign: 'center',
  pointerEvents: 'none',
};

/** The 3D preview of an STL, OBJ or 3MF model; see `ModelViewerProps`. Import it lazily from `./index.ts`. */
export default function ModelViewer({ source, format, labels, locale, onMeasured, onError, className, theme = 'auto' }: ModelViewerProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const sceneRef = useRef<ViewerScene | null>(null);
  const parserRef = useRef<ModelParser | null>(null);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [webglFailed, setWebglFailed] = useState(false);
  const resolvedTheme = useTheme(theme);
  const callbacks = useRef({ onMeasured, onError });
  callbacks.current = { onMeasured, onError };
  const id = useId();
  const resolvedThemeRef = useRef(resolvedTheme);
  resolvedThemeRef.current = resolvedTheme;
  const canvasLabelRef = useRef(labels.canvas);
  canvasLabelRef.current = labels.canvas;

  // The renderer lives as long as the canvas; the parser's worker too.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    parserRef.current = createModelParser();
    let scene: ViewerScene | null = null;
    try {
      scene = createViewerScene(resolvedThemeRef.current);
      const { canvas } = scene;
      canvas.setAttribute('style', canvasStyle);
      // Focusable: the canvas takes the arrow and +/- keys that turn and zoom the model.
      canvas.tabIndex = 0;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', canvasLabelRef.current);
      canvas.setAttribute('aria-describedby', `${id}-summary ${id}-controls`);
      stage.prepend(canvas);
    } catch {
      setWebglFailed(true);
      callbacks.current.onError?.('webgl');
    }
    sceneRef.current = scene;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) scene?.resize(entry.contentRect.width, entry.contentRect.height);
    });
    observer.observe(stage);
    return () => {
      observer.disconnect();
      parserRef.current?.dispose();
      parserRef.current = null;
      scene?.dispose();
      sceneRef.current = null;
    };
  }, [id]);

  useEffect(() => {
    sceneRef.current?.canvas.setAttribute('aria-label', labels.canvas);
  }, [labels.canvas]);

  useEffect(() => {
    sceneRef.current?.setTheme(resolvedTheme);
  }, [resolvedTheme]);

  useEffect(() => {
    const parser = parserRef.current;
    if (!parser) return;
    let current = true;
    setState({ status: 'loading' });
    const chosen = format ?? inferFormat(typeof source === 'string' ? source : 'name' in source ? (source as File).name : undefined);
    parser.parse(source, chosen).then(
      (model) => {
        if (!current) return;
        const scene = sceneRef.current;
        const ready = { status: 'ready', size: model.box.size, triangles: model.triangles } as const;
        if (scene) {
          scene.onDrawn = () => {
            if (current) setState({ ...ready, drawn: true });
          };
          scene.setModel(model);
        }
        setState({ ...ready, drawn: !scene });
        callbacks.current.onMeasured?.(model.box.size, model.triangles, { box: model.box, format: model.format, parseMs: model.parseMs });
      },
      (error: unknown) => {
        if (!current || error instanceof ParseCancelledError) return;
        const reason = isModelParseError(error) ? error.reason : 'unreadable';
        setState({ status: 'error', reason });
        callbacks.current.onError?.(reason);
      },
    );
    return () => {
      current = false;
    };
  }, [source, format]);

  const summary = useMemo(() => {
    if (state.status !== 'ready') return '';
    const mm = new Intl.NumberFormat(locale ?? documentLocale(), { maximumFractionDigits: 1 });
    const count = new Intl.NumberFormat(locale ?? documentLocale());
    const { x, y, z } = state.size;
    return formatLabel(labels.summary, { x: mm.format(x), y: mm.format(y), z: mm.format(z), triangles: count.format(state.triangles) });
  }, [state, labels.summary, locale]);

  const busy = state.status === 'loading' || (state.status === 'ready' && !state.drawn);
  const error = state.status === 'error' ? labels.errors[state.reason] : webglFailed ? labels.errors.webgl : undefined;
  return (
    <figure className={className} style={frameStyle} aria-busy={busy}>
      {/* The renderer's canvas is put first in this stage by the effect above. */}
      <div ref={stageRef} style={stageStyle}>
        {busy && (
          <div role="status" style={overlayStyle}>
            {labels.loading}
          </div>
        )}
        {error && (
          <p role="alert" style={{ ...overlayStyle, margin: 0 }}>
            {error}
          </p>
        )}
      </div>
      <figcaption id={`${id}-summary`} data-model-size="">
        {summary}
      </figcaption>
      <p id={`${id}-controls`} hidden>
        {labels.controls}
      </p>
    </figure>
  );
}

function documentLocale(): string | undefined {
  return document.documentElement.lang || navigator.language || undefined;
}
