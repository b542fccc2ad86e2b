import type { ModelViewerLabels } from './model-viewer-types.ts';

/** The viewer's texts for the app's catalogues, in the two languages. */
export const modelViewerMessages: Record<'en' | 'ru', ModelViewerLabels> = {
  en: {
    canvas: '3D preview',
    loading: 'Reading the model…',
    summary: 'Size {x} × {y} × {z} mm, {triangles} triangles',
    controls: 'Drag or use the arrow keys to turn the model; scroll, pinch or press + and − to zoom; 0 resets the view.',
    errors: {
      empty: 'This file is empty, so there is nothing to show.',
      'unknown-format': 'This file is not an STL, OBJ or 3MF model.',
      malformed: 'This file looks damaged: it could not be read as a 3D model.',
      'no-triangles': 'This model has no surface to show.',
      unreadable: 'The file could not be read. Please choose it again.',
      webgl: 'Your browser cannot show 3D graphics here; the size below is still correct.',
    },
  },
  ru: {
    canvas: '3D-просмотр',
    loading: 'Читаем модель…',
    summary: 'Размер {x} × {y} × {z} мм, треугольников: {triangles}',
    controls: 'Перетащите модель или нажимайте стрелки, чтобы повернуть её; колесо, щипок или + и − меняют масштаб; 0 возвращает исходный вид.',
    errors: {
      empty: 'Файл пуст, показывать нечего.',
      'unknown-format': 'Это не модель STL, OBJ или 3MF.',
      malformed: 'Файл повреждён: его не удалось прочитать как 3D-модель.',
      'no-triangles': 'В модели нет поверхности, которую можно показать.',
      unreadable: 'Не удалось прочитать файл. Выберите его ещё раз.',
      webgl: 'Браузер не может показать здесь 3D-графику; размер ниже всё равно верный.',
    },
  },
};

/** Fills `{name}` placeholders. */
export function formatLabel(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
