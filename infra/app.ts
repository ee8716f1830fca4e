// The CDK app (`cdk synth`, `cdk deploy`), shaped by the settings document (infra/settings.ts):
// - one account: the `Gatewatch` stack in the home region (settings.regions[0], else the region
//   `cdk deploy` uses), and a `GatewatchEvents-<region>` stack forwarding each other region's
//   events to it;
// - an organization (settings.organization.enabled): `GatewatchOrganization` in the central
//   account, which deploys the member template to the member accounts through a StackSet, and the
//   same member template as the `Member/GatewatchMember` stack (for the management account, which
//   a service-managed StackSet never deploys to; `cdk deploy --all` leaves it out).
// Everything is checked with cdk-nag's AWS Solutions rules: synthesis fails on any finding that is
// not acknowledged with a reason, in every stack — the plugin added to the app reaches the nested
// `Member` stage too (test/infra/failure-paths.test.ts adds a finding there and expects synthesis
// to fail), and the StackSet's copy of the member template is checked in its own app
// (organization-stack.ts memberTemplate). Invalid settings fail synthesis with a message naming
// the field, from the same parseSettings the CLI and the functions use.
import { App, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { homeRegionOf, organizationOf } from '../settings/schema';
import { GLOBAL_EVENTS_REGION } from './event-patterns';
import { GatewatchEventsStack } from './events-stack';
import { GatewatchStack } from './gatewatch-stack';
import { GatewatchMemberStack } from './member-stack';
import { centralOrganization, GatewatchOrganizationStack } from './organization-stack';
import { deploymentSettings, SettingsError } from './settings';

/** Builds every stack the settings call for into `app`. */
export function buildApp(app: App): void {
  const { settings } = deploymentSettings(app);
  const home = homeRegionOf(settings);
  const env = home ? { region: home } : undefined;
  if (organizationOf(settings)) {
    new GatewatchOrganizationStack(app, 'GatewatchOrganization', env ? { env } : {});
    new GatewatchMemberStack(new Stage(app, 'Member'), 'GatewatchMember', {
      settings,
      organization: centralOrganization(settings),
    });
  } else {
    new GatewatchStack(app, 'Gatewatch', env ? { env } : {});
  }
  for (const region of home ? settings.regions.slice(1) : []) {
    new GatewatchEventsStack(app, `GatewatchEvents-${region}`, {
      env: { region },
      homeRegion: home as string,
    });
  }
  // IAM's events (the CloudWatch Logs role) arrive in us-east-1 only: forwarded from there even
  // when it is not watched. (With no regions set the home region is unknown at synth.)
  if (home && !settings.regions.includes(GLOBAL_EVENTS_REGION) && home !== GLOBAL_EVENTS_REGION) {
    new GatewatchEventsStack(app, `GatewatchEvents-${GLOBAL_EVENTS_REGION}`, {
      env: { region: GLOBAL_EVENTS_REGION },
      homeRegion: home,
      globalOnly: true,
    });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}

if (require.main === module) {
  const app = new App();
  try {
    buildApp(app);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  app.synth();
}
