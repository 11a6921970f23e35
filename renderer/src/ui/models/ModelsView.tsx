import { useApp } from '../../state/store-context';
import { Card } from '../common/Card';
import { ErrorState, Loading } from '../common/States';
import { useNow } from '../common/useNow';
import { OllamaStatusLine } from './OllamaStatusCard';
import { PullPanel } from './PullPanel';
import { InstalledModels } from './InstalledModels';
import { LoadedModels } from './LoadedModels';

export function ModelsView() {
  const { ollama, models, refresh } = useApp((s) => ({ ollama: s.ollama, models: s.models, refresh: s.refreshModels }));
  const now = useNow(true, 30_000);
  const status = ollama.data;
  if (!status) {
    if (ollama.error) return <ErrorState title="Could not check Ollama" error={ollama.error} onRetry={() => void refresh()} />;
    return <Loading label="Checking Ollama" />;
  }
  const list = models.data;
  return (
    <div className="grid">
      <Card title="Ollama">
        <OllamaStatusLine status={status} onRefresh={() => void refresh()} busy={ollama.loading} />
      </Card>
      <Card title="Pull a model">
        <PullPanel disabled={!status.running} />
      </Card>
      {status.running ? (
        <>
          <Card title="Installed">
            {list ? <InstalledModels models={list.installed} /> : models.error ? <ErrorState error={models.error} onRetry={() => void refresh()} /> : <Loading label="Listing models" />}
          </Card>
          <Card title="Loaded now">{list ? <LoadedModels models={list.loaded} now={now} /> : <Loading label="Listing loaded models" rows={1} />}</Card>
        </>
      ) : null}
    </div>
  );
}
