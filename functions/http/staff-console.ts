// Placeholder created by the infra helper so `npm run synth` can bundle; replace with the real handler.
export const handler = async () => ({ statusCode: 501 });
