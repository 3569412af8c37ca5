import { app } from '@azure/functions';

app.http('goodbye', {
  route: 'goodbye',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => ({ body: 'goodbye from another' }),
});
