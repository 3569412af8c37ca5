import { app } from '@azure/functions';

app.http('hello', {
  route: 'hello',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => ({ body: 'hello from one file' }),
});
