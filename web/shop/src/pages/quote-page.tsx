// The quote page, one step at a time: upload → check the model (3D preview, analysis) → material
// and quantity with every price at once → add to cart.
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Button, Card, ErrorMessage, FLASH_MS, Skeleton, useI18n } from '@fabline/ui';
import { QuotePageDocument, QuoteReadyDocument, RequestQuoteLadderDocument } from '@fabline/ui/operations';
import type { Vec3 } from '@fabline/ui/viewer';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useCart } from '../cart.tsx';
import { AnalysisPanel } from '../components/analysis-panel.tsx';
import { ModelPreview } from '../components/model-preview.tsx';
import { PriceTable } from '../components/price-table.tsx';
import { UploadBox, type UploadedModel } from '../components/upload-box.tsx';
import { analysisOf, firstPending, type MaterialQuotes } from '../lib/prices.ts';

/** Waits for one PENDING quote of a material; its answer is normalized into the cache, then the row asks again. */
function PendingWatcher({ quoteId, onReady }: { quoteId: string; onReady(): void }) {
  useSubscription(QuoteReadyDocument, { variables: { quoteId }, onData: () => onReady() });
  return null;
}

export default function QuotePage() {
  const { t } = useI18n();
  const cart = useCart();
  const quantityId = useId();
  const materialId = useId();
  const page = useQuery(QuotePageDocument);
  const [requestLadder] = useMutation(RequestQuoteLadderDocument);
  const [model, setModel] = useState<UploadedModel | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [size, setSize] = useState<Vec3 | undefined>(undefined);
  const [quantity, setQuantity] = useState(1);
  const [material, setMaterial] = useState('');
  const [rows, setRows] = useState<Record<string, MaterialQuotes | undefined>>({});
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  const generation = useRef(0);
  const materials = page.data?.materials ?? [];

  useEffect(() => {
    document.title = `${t('title.quote')} · Fabline`;
  }, [t]);
  useEffect(() => {
    if (!material && materials[0]) setMaterial(materials[0].code);
  }, [material, materials]);

  const price = useCallback(
    async (code: string, modelId: string, qty: number, run: number) => {
      try {
        const { data } = await requestLadder({ variables: { modelId, material: code, quantity: qty } });
        if (!data || run !== generation.current) return;
        setRows((previous) => ({ ...previous, [code]: data }));
        setChanged((previous) => new Set(previous).add(code));
      } catch (failure) {
        if (run === generation.current) setError(failure);
      }
    },
    [requestLadder],
  );

  // every material priced at once, again whenever the quantity changes
  useEffect(() => {
    if (!model || materials.length === 0 || quantity < 1) return;
    generation.current += 1;
    const run = generation.current;
    setError(null);
    const timer = setTimeout(() => {
      for (const m of materials) void price(m.code, model.id, quantity, run);
    }, 250);
    return () => clearTimeout(timer);
  }, [model, materials, quantity, price]);

  useEffect(() => {
    if (changed.size === 0) return;
    const timer = setTimeout(() => setChanged(new Set()), FLASH_MS);
    return () => clearTimeout(timer);
  }, [changed]);

  if (page.loading)
    return (
      <div className="flex flex-col gap-4">
        <Skeleton className="h-8 w-1/3" label={t('common.loading')} />
        <Skeleton className="h-40" />
      </div>
    );
  if (page.error || !page.data) return <ErrorMessage error={page.error} onRetry={() => void page.refetch()} />;

  const chosen = rows[material]?.chosen;
  const found = analysisOf(rows);
  const materialName = materials.find((m) => m.code === material)?.name ?? material;
  const addToCart = () => {
    if (chosen?.status !== 'READY' || !chosen.price || !model) return;
    cart.add({ quoteId: chosen.id, filename: model.filename, material, materialName, quantity: chosen.quantity, price: chosen.price });
    setAdded(t('cart.added', { name: model.filename, material: materialName, quantity: chosen.quantity }));
  };

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-semibold">{t('title.quote')}</h1>
      <Card aria-labelledby="step-upload">
        <h2 id="step-upload" className="mb-3 text-xl font-semibold">
          {t('step.upload')}
        </h2>
        <UploadBox
          maxBytes={page.data.uploadLimits.maxBytes}
          formats={page.data.uploadLimits.formats}
          onChosen={(chosenFile) => {
            setFile(chosenFile);
            setSize(undefined);
            setModel(null);
            setRows({});
            setAdded(null);
          }}
          onUploaded={(uploaded) => setModel(uploaded)}
        />
      </Card>
      {file && (
        <section aria-labelledby="step-preview" className="grid gap-4 md:grid-cols-[2fr_1fr]">
          <h2 id="step-preview" className="text-xl font-semibold md:col-span-2">
            {t('step.preview')}
          </h2>
          <ModelPreview file={file} onMeasured={setSize} />
          <Card aria-label={t('analysis.title')}>
            <h3 className="mb-2 font-semibold">{t('analysis.title')}</h3>
            <AnalysisPanel analysis={found?.analysis} size={size} />
          </Card>
        </section>
      )}
      {model && (
        <Card aria-labelledby="step-price">
          <h2 id="step-price" className="mb-3 text-xl font-semibold">
            {t('step.price')}
          </h2>
          <div className="mb-4 flex flex-wrap items-end gap-4">
            <div className="flex flex-col gap-1">
              <label htmlFor={materialId} className="text-sm font-medium">
                {t('order.materialLabel')}
              </label>
              <select
                id={materialId}
                value={material}
                onChange={(event) => setMaterial(event.currentTarget.value)}
                className="rounded-md border border-border bg-surface px-3 py-2"
              >
                {materials.map((m) => (
                  <option key={m.code} value={m.code}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={quantityId} className="text-sm font-medium">
                {t('order.quantityLabel')}
              </label>
              <input
                id={quantityId}
                type="number"
                min={1}
                max={10000}
                value={quantity}
                onChange={(event) => setQuantity(Math.max(1, Math.floor(Number(event.currentTarget.value) || 1)))}
                className="w-28 rounded-md border border-border bg-surface px-3 py-2"
              />
            </div>
            <Button onClick={addToCart} disabled={chosen?.status !== 'READY'}>
              {t('cart.add')}
            </Button>
          </div>
          {error ? <ErrorMessage error={error} /> : null}
          <PriceTable materials={materials} rows={rows} quantity={quantity} changed={changed} />
          {materials.map((m) => {
            const pending = firstPending(rows[m.code]);
            return pending ? (
              <PendingWatcher key={`${m.code}:${pending.id}`} quoteId={pending.id} onReady={() => void price(m.code, model.id, quantity, generation.current)} />
            ) : null;
          })}
          {added && (
            <p role="status" className="mt-4 text-sm">
              {added}{' '}
              <Link to="/cart" className="text-accent underline">
                {t('cart.goTo')}
              </Link>
            </p>
          )}
        </Card>
      )}
    </div>
  );
}
