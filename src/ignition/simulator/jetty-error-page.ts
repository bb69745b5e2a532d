const MESSAGES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const JETTY_CONTENT_TYPE = 'text/html;charset=iso-8859-1';

/** The Jetty HTML error page a real 8.3 gateway sends for 401/403/500/503 on `/data/api/v1/*`. */
export function formatJettyErrorPage(status: number, uri: string): string {
  const message = MESSAGES[status] ?? 'Error';
  const safeUri = uri.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    '<html>',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>',
    `<title>Error ${status}</title>`,
    '</head>',
    `<body><h2>HTTP ERROR ${status} ${message}</h2>`,
    '<table>',
    `<tr><th>URI:</th><td>${safeUri}</td></tr>`,
    `<tr><th>STATUS:</th><td>${status}</td></tr>`,
    `<tr><th>MESSAGE:</th><td>${message}</td></tr>`,
    '<tr><th>SERVLET:</th><td>DataServlet</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
