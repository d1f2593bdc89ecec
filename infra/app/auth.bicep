// App Service Authentication (Easy Auth v2) on the function app: callers of the HTTP API sign in with
// Entra ID, in addition to the function key the routes already require. Auditors read the API, never
// the storage account. The app registration is made by hand (ARM cannot create one): docs/operations.md.
param functionAppName string

@description('Application (client) id of the Entra app registration that stands for the API.')
param clientId string

@description('Tenant of the app registration.')
param tenantId string

resource site 'Microsoft.Web/sites@2023-12-01' existing = {
  name: functionAppName
}

resource authSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      // An API answers 401, never a redirect to a sign-in page.
      unauthenticatedClientAction: 'Return401'
      // Event Grid cannot sign in: its webhook stays behind the eventgrid_extension system key only.
      excludedPaths: [
        '/runtime/webhooks/eventgrid'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          // v2 tokens (the registration's requestedAccessTokenVersion is 2): this issuer.
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
          clientId: clientId
        }
        validation: {
          allowedAudiences: [
            'api://${clientId}'
            clientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false // nothing to keep: callers send bearer tokens
      }
    }
  }
}
