import { useApp } from '../../state/store-context';
import { Card } from '../common/Card';
import { ErrorState, Loading } from '../common/States';
import { ApiKeySection } from './ApiKeySection';
import { BudgetSection } from './BudgetSection';
import { AgentCapsSection } from './AgentCapsSection';
import { ScheduleSection } from './ScheduleSection';
import { RoutingSection } from './RoutingSection';
import { ProjectTiersSection } from './ProjectTiersSection';

export function SettingsView() {
  const { settings, refresh, agents } = useApp((s) => ({ settings: s.settings, refresh: s.refreshSettings, agents: s.overview.data?.agents ?? null }));
  const data = settings.data;
  if (!data) {
    if (settings.error) return <ErrorState title="Could not load settings" error={settings.error} onRetry={() => void refresh()} />;
    return <Loading label="Loading settings" rows={5} />;
  }
  return (
    <div className="grid settings">
      <Card title="Anthropic API key">
        <ApiKeySection hasApiKey={data.hasApiKey} />
      </Card>
      <Card title="Budget">
        <BudgetSection settings={data} />
      </Card>
      <Card title="Per-agent caps">{agents ? <AgentCapsSection agents={agents} /> : <Loading label="Loading agents" rows={2} />}</Card>
      <Card title="Agents and schedule">
        <ScheduleSection settings={data} />
      </Card>
      <Card title="Routing">
        <RoutingSection routing={data.routing} />
      </Card>
      <Card title="Routing per project">
        <ProjectTiersSection routing={data.routing} />
      </Card>
    </div>
  );
}
