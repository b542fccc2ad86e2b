import {
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
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

export type ViewerTheme = 'light' | 'dark';

const THEMES: Record<ViewerTheme, { background: number; model: number; sky: number; ground: number }> = {
  light: { background: 0xf1f3f6, model: 0x4f79a8, sky: 0xffffff, ground: 0x8a8f99 },
  dark: { background: 0x16181d, model: 0x8db4e2, sky: 0xdde6f5, ground: 0x30343c },
};

export interface ViewerScene {
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
  let mesh: Mesh<BufferGeometry, MeshStandardMaterial> | undefined;
  let frame = 0;
  let frames = 0;
  let disposed = false;

  const draw = () => {
    frame = 0;
    if (disposed) return;
    renderer.render(scene, camera);
    frames++;
  };
  const requestRender = () => {
    if (!frame && !disposed) frame = requestAnimationFrame(draw);
  };
  const controls = createOrbitControls(camera, canvas, requestRender);

  const viewer: ViewerScene = {
    canvas,
    get frames() {
      return frames;
    },
    setModel(model) {
      if (mesh) {
        scene.remove(mesh);
        mesh.geometry.dispose();
      }
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(model.positions, 3));
      geometry.setAttribute('normal', new BufferAttribute(model.normals, 3));
      const { min, max } = model.box;
      const center = new Vector3((min.x + max.x) / 2, (min.y + max.y) / 2, (min.z + max.z) / 2);
      const radius = center.distanceTo(new Vector3(max.x, max.y, max.z));
      // The worker measured the box already: no pass over millions of vertices on this thread.
      geometry.boundingSphere = new Sphere(center.clone(), radius);
      mesh = new Mesh(geometry, material);
      scene.add(mesh);
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
      camera.updateProjectionMatrix();
      requestRender();
    },
    dispose() {
      disposed = true;
      if (frame) cancelAnimationFrame(frame);
      controls.dispose();
      mesh?.geometry.dispose();
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
