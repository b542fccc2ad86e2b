import { inferFormat } from './model-format.ts';
import { isModelParseError, ModelParseError } from './parse/model-parse-error.ts';
import { parseModel } from './parse/parse-model.ts';
import type { ParseRequest, ParseResponse } from './parse-protocol.ts';
import { PARSE_MEASURE } from './parse-protocol.ts';

// The DOM lib types `self` as a Window; in this file it is a dedicated worker's scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
  postMessage(message: ParseResponse, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  void handle(event.data);
};

async function handle({ id, source, format }: ParseRequest): Promise<void> {
  const start = performance.now();
  try {
    const bytes = await readSource(source);
    const name = typeof source === 'string' ? source : 'name' in source ? (source as File).name : undefined;
    const model = await parseModel(bytes, format ?? inferFormat(name));
    const parseMs = performance.measure(PARSE_MEASURE, { start, detail: { triangles: model.triangles } }).duration;
    scope.postMessage({ id, ok: true, ...model, parseMs }, [model.positions.buffer, model.normals.buffer]);
  } catch (error) {
    const failure = isModelParseError(error) ? error : new ModelParseError('unreadable', error instanceof Error ? error.message : String(error));
    scope.postMessage({ id, ok: false, reason: failure.reason, message: failure.message }, []);
  }
}

async function readSource(source: Blob | string): Promise<Uint8Array> {
  if (typeof source !== 'string') return new Uint8Array(await source.arrayBuffer());
  const response = await fetch(source);
  if (!response.ok) throw new ModelParseError('unreadable', `Fetching the model answered HTTP ${response.status}.`);
  return new Uint8Array(await response.arrayBuffer());
}
