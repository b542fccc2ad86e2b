import type { PerspectiveCamera } from 'three';
import { Vector3 } from 'three';

const ROTATE_PER_PIXEL = 0.008;
const ROTATE_PER_KEY = Math.PI / 24;
const ZOOM_PER_KEY = 1.2;
const MIN_POLAR = 0.05;
const MAX_POLAR = Math.PI - 0.05;

export interface OrbitControls {
  /** Aims at a sphere around `center` of `radius`, from the default viewing direction. */
  fit(center: Vector3, radius: number): void;
  /** Back to the view `fit` chose. */
  reset(): void;
  /** After a resize: frames the model anew unless the person has turned or zoomed it. */
  aspectChanged(): void;
  rotate(deltaAzimuth: number, deltaPolar: number): void;
  /** factor > 1 moves away, < 1 moves closer. */
  zoom(factor: number): void;
  dispose(): void;
}

/**
 * Orbit and zoom around the model, Z up as printers see it: pointer drag (one finger or the
 * mouse) turns, the wheel or a pinch zooms, and on the focused canvas the arrow keys turn,
 * + and - zoom, 0 or Home reset. Every change calls `onChange` once; nothing animates by itself,
 * so an idle viewer draws nothing.
 */
export function createOrbitControls(camera: PerspectiveCamera, element: HTMLElement, onChange: () => void): OrbitControls {
  const target = new Vector3();
  let radius = 1;
  let fitRadius = 1;
  let distance = 3;
  let azimuth = -Math.PI / 3;
  let polar = Math.PI / 3;
  let moved = false;

  const apply = () => {
    const sinPolar = Math.sin(polar);
    camera.up.set(0, 0, 1);
    camera.position.set(
      target.x + distance * sinPolar * Math.cos(azimuth),
      target.y + distance * sinPolar * Math.sin(azimuth),
      target.z + distance * Math.cos(polar),
    );
    camera.near = Math.max(distance - radius * 2, distance / 100, 1e-4);
    camera.far = distance + radius * 4;
    camera.lookAt(target);
    camera.updateProjectionMatrix();
    onChange();
  };

  const fittingDistance = () => {
    const vertical = (camera.fov * Math.PI) / 180;
    const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * camera.aspect);
    return (fitRadius / Math.sin(Math.min(vertical, horizontal) / 2)) * 1.1;
  };

  const controls: OrbitControls = {
    fit(center, r) {
      target.copy(center);
      radius = r > 0 ? r : 1;
      fitRadius = radius;
      controls.reset();
    },
    reset() {
      moved = false;
      azimuth = -Math.PI / 3;
      polar = Math.PI / 3;
      distance = fittingDistance();
      apply();
    },
    aspectChanged() {
      if (moved) apply();
      else controls.reset();
    },
    rotate(deltaAzimuth, deltaPolar) {
      moved = true;
      azimuth += deltaAzimuth;
      polar = Math.min(MAX_POLAR, Math.max(MIN_POLAR, polar + deltaPolar));
      apply();
    },
    zoom(factor) {
      moved = true;
      distance = Math.min(radius * 50, Math.max(radius * 0.2, distance * factor));
      apply();
    },
    dispose() {
      element.removeEventListener('pointerdown', onPointerDown);
      element.removeEventListener('pointermove', onPointerMove);
      element.removeEventListener('pointerup', onPointerUp);
      element.removeEventListener('pointercancel', onPointerUp);
      element.removeEventListener('wheel', onWheel);
      element.removeEventListener('keydown', onKeyDown);
    },
  };

  const pointers = new Map<number, { x: number; y: number }>();
  let pinch = 0;
  const pinchDistance = () => {
    const [a, b] = [...pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };
  const onPointerDown = (event: PointerEvent) => {
    element.setPointerCapture?.(event.pointerId);
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    pinch = pinchDistance();
  };
  const onPointerMove = (event: PointerEvent) => {
    const last = pointers.get(event.pointerId);
    if (!last) return;
    const dx = event.clientX - last.x;
    const dy = event.clientY - last.y;
    last.x = event.clientX;
    last.y = event.clientY;
    if (pointers.size === 1) controls.rotate(-dx * ROTATE_PER_PIXEL, -dy * ROTATE_PER_PIXEL);
    else {
      const now = pinchDistance();
      if (pinch > 0 && now > 0) controls.zoom(pinch / now);
      pinch = now;
    }
  };
  const onPointerUp = (event: PointerEvent) => {
    pointers.delete(event.pointerId);
    pinch = pinchDistance();
  };
  const onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const pixels = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    controls.zoom(Math.exp(Math.max(-100, Math.min(100, pixels)) * 0.002));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    switch (event.key) {
      case 'ArrowLeft':
        controls.rotate(-ROTATE_PER_KEY, 0);
        break;
      case 'ArrowRight':
        controls.rotate(ROTATE_PER_KEY, 0);
        break;
      case 'ArrowUp':
        controls.rotate(0, -ROTATE_PER_KEY);
        break;
      case 'ArrowDown':
        controls.rotate(0, ROTATE_PER_KEY);
        break;
      case '+':
      case '=':
        controls.zoom(1 / ZOOM_PER_KEY);
        break;
      case '-':
      case '_':
        controls.zoom(ZOOM_PER_KEY);
        break;
      case '0':
      case 'Home':
        controls.reset();
        break;
      default:
        return;
    }
    // Arrow keys would scroll the page otherwise.
    event.preventDefault();
  };
  element.addEventListener('pointerdown', onPointerDown);
  element.addEventListener('pointermove', onPointerMove);
  element.addEventListener('pointerup', onPointerUp);
  element.addEventListener('pointercancel', onPointerUp);
  element.addEventListener('wheel', onWheel, { passive: false });
  element.addEventListener('keydown', onKeyDown);
  apply();
  return controls;
}
