// The CDK app (`cdk synth`, `cdk deploy`): gatewatch for the account and region the CLI
// deploys to, checked with cdk-nag's AWS Solutions rules. Synthesis fails on any finding
// that is not acknowledged with a reason.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GatewatchStack } from './gatewatch-stack';

const app = new App();
new GatewatchStack(app, 'Gatewatch');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
