import { app } from '@azure/functions';

// The yardstick for Shepherd's start-up: the least an @azure/functions app can be.
app.http('hello', { handler: () => ({ body: 'hello' }) });
