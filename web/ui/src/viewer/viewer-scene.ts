import {
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
  Group,
  HemisphereLight,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  Sphere,
  Vector3,
  WebGLRenderer,
} from 'three';
import { createOrbitControls } from './orbit-controls.ts';
import type { ParsedInWorker } from './parse-protocol.ts';

/** The User Timing measure of each drawn frame. */
export const FRAME_MEASURE = 'fabline:viewer-frame';
/** The User Timing mark set when the last part of a model has reached the GPU and been drawn. */
export const MODEL_DRAWN_MARK = 'fabline:viewer-model-drawn';
/**
 * Triangles uploaded to the GPU per frame. Uploading a million-triangle model (75 MB of positions
 * and normals) in one frame held the page's thread for a third of a second; parts of 131,072
 * triangles (9.4 MB) go up one a frame, drawing nothing, and the frame after the last draws all.
 */
const TRIANGLES_PER_FRAME = 131_072;

export type ViewerTheme = 'light' | 'dark';

const THEMES: Record<ViewerTheme, { background: number; model: number; sky: number; ground: number }> = {
  light: { background: 0xf1f3f6, model: 0x4f79a8, sky: 0xffffff, ground: 0x8a8f99 },
  dark: { background: 0x16181d, model: 0x8db4e2, sky: 0xdde6f5, ground: 0x30343c },
};

export interface ViewerScene {
  /** Called once the model set last is on screen. */
  onDrawn: (() => void) | undefined;
  /** The renderer's own canvas: a remount (React's StrictMode) gets a fresh one, never a lost context. */
  readonly canvas: HTMLCanvasElement;
  /** Replaces the shown model; the geometry takes the worker's arrays without copying them. */
  setModel(model: ParsedInWorker): void;
  setTheme(theme: ViewerTheme): void;
  resize(width: number, height: number): void;
  /** How many frames were drawn: each follows a change, never a running loop. */
  readonly frames: number;
  dispose(): void;
}

/** A three.js scene that draws on demand: one frame after each change, none while idle. */
export function createViewerScene(theme: ViewerTheme): ViewerScene {
  const renderer = new WebGLRenderer({ antialias: true, powerPreference: 'low-power' });
  const canvas = renderer.domElement;
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  const scene = new Scene();
  const camera = new PerspectiveCamera(35, 1, 0.1, 1000);
  const hemisphere = new HemisphereLight(0xffffff, 0x888888, 1.6);
  hemisphere.position.set(0, 0, 1);
  const key = new DirectionalLight(0xffffff, 1.8);
  // The key light follows the camera, so the side the person looks at is always lit.
  camera.add(key);
  key.position.set(0.5, 1, 0.25);
  scene.add(hemisphere, camera);
  const material = new MeshStandardMaterial({ roughness: 0.55, metalness: 0.05, flatShading: false });
  const model = new Group();
  scene.add(model);
  let uploading: Mesh[] = [];
  let frame = 0;
  let frames = 0;
  let disposed = false;

  const draw = () => {
    frame = 0;
    if (disposed) return;
    const start = performance.now();
    const part = uploading.shift();
    if (part) {
      // Only this part takes part in the frame, with nothing to draw: the render uploads its buffers.
      part.visible = true;
      part.geometry.setDrawRange(0, 0);
    }
    renderer.render(scene, camera);
    frames++;
    // Seen in DevTools' performance panel; the browser test reports the longest.
    performance.measure(FRAME_MEASURE, { start });
    if (part) {
      part.visible = false;
      part.geometry.setDrawRange(0, Number.POSITIVE_INFINITY);
      if (uploading.length === 0) {
        for (const child of model.children) child.visible = true;
        drawnPending = true;
      }
      requestRender();
    } else if (drawnPending) {
      drawnPending = false;
      performance.mark(MODEL_DRAWN_MARK);
      viewer.onDrawn?.();
    }
  };
  let drawnPending = false;
  const clearModel = () => {
    for (const child of model.children) (child as Mesh).geometry.dispose();
    model.clear();
    uploading = [];
    drawnPending = false;
  };
  const requestRender = () => {
    if (!frame && !disposed) frame = requestAnimationFrame(draw);
  };
  const controls = createOrbitControls(camera, canvas, requestRender);

  // The shader compiles while the worker parses (KHR_parallel_shader_compile where there is one),
  // not in the model's first frame.
  const warmUp = new BufferGeometry();
  warmUp.setAttribute('position', new BufferAttribute(new Float32Array(9), 3));
  warmUp.setAttribute('normal', new BufferAttribute(new Float32Array(9), 3));
  void renderer
    .compileAsync(new Mesh(warmUp, material), camera, scene)
    .catch(() => {})
    .finally(() => warmUp.dispose());

  const viewer: ViewerScene = {
    onDrawn: undefined,
    canvas,
    get frames() {
      return frames;
    },
    setModel(parsed) {
      clearModel();
      const { min, max } = parsed.box;
      const center = new Vector3((min.x + max.x) / 2, (min.y + max.y) / 2, (min.z + max.z) / 2);
      const radius = center.distanceTo(new Vector3(max.x, max.y, max.z));
      for (let first = 0; first < parsed.triangles; first += TRIANGLES_PER_FRAME) {
        const end = Math.min(parsed.triangles, first + TRIANGLES_PER_FRAME) * 9;
        const geometry = new BufferGeometry();
        // Views into the worker's arrays: no copy.
        geometry.setAttribute('position', new BufferAttribute(parsed.positions.subarray(first * 9, end), 3));
        geometry.setAttribute('normal', new BufferAttribute(parsed.normals.subarray(first * 9, end), 3));
        // The worker measured the box already: no pass over millions of vertices on this thread.
        geometry.boundingSphere = new Sphere(center.clone(), radius);
        const mesh = new Mesh(geometry, material);
        mesh.visible = false;
        model.add(mesh);
        uploading.push(mesh);
      }
      controls.fit(center, radius);
    },
    setTheme(next) {
      const colours = THEMES[next];
      renderer.setClearColor(new Color(colours.background), 1);
      material.color.setHex(colours.model);
      hemisphere.color.setHex(colours.sky);
      hemisphere.groundColor.setHex(colours.ground);
      requestRender();
    },
    resize(width, height) {
      if (width <= 0 || height <= 0) return;
      renderer.setSize(width, height, false);
      camera.aspect = width / height;
      controls.aspectChanged();
    },
    dispose() {
      disposed = true;
      if (frame) cancelAnimationFrame(frame);
      controls.dispose();
      clearModel();
      material.dispose();
      renderer.dispose();
      // Frees the GPU context now rather than at garbage collection: browsers cap live contexts.
      renderer.forceContextLoss();
      canvas.remove();
    },
  };
  viewer.setTheme(theme);
  return viewer;
}
