// Starts Swagger UI on /docs. A file, not an inline script, so the page's policy needs no
// 'unsafe-inline'; the OpenAPI address comes from the page's data-openapi attribute.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
  });
});
