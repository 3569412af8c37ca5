// One target's Azure Database for PostgreSQL flexible server, in its own resource group: firewall
// rules letting Shepherd's function app in from each address it may call out from, so that pg_dump
// (backups before releases) and rotations (ALTER ROLE … PASSWORD) reach the server. The credential is
// the target's Key Vault secret (the vault roles) or Microsoft Entra (a role made by SQL, see the
// README); nothing here grants rights inside the database.

@description('The flexible server\'s name in this resource group.')
param serverName string
@description('The function app\'s possible outbound addresses, comma-separated.')
param outboundIpAddresses string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' existing = {
  name: serverName
}

var addresses = union(filter(split(outboundIpAddresses, ','), ip => !empty(trim(ip))), [])

resource allowShepherd 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = [
  for (ip, i) in addresses: {
    parent: server
    name: 'shepherd-${i}'
    properties: { startIpAddress: trim(ip), endIpAddress: trim(ip) }
  }
]
