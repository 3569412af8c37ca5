import { app } from '@azure/functions';
import { loadConfig } from './config';
import { healthCheck, healthCheckFunction, healthReport } from './functions/healthCheck';
import { registeredFunctions, tracked } from './registry';

// Every function is registered here, for Azure and for the local host alike. Invalid settings stop
// start-up here, naming each bad value.
const config = loadConfig();

tracked(app.http)(healthCheckFunction, {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: healthCheck(() => healthReport(config, registeredFunctions)),
});
