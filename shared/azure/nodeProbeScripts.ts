import { PROBE_BEGIN, PROBE_END } from '../domain/nodeProbeOutput.js';

/**
 * The read-only scripts the node probe runs through run-command (docs/rules.md "Node probe"), printing
 * what domain/nodeProbeOutput.ts reads. They print public certificate fields only: `openssl x509 -noout`
 * reads the certificate of a file that also holds the kubelet's key (kubelet-client-current.pem) and
 * prints none of the key; nothing is ever `cat`. They change nothing on the node and write nothing to
 * standard error when they work (a failing openssl prints `unreadable` instead).
 *
 * The files (AKS certificate rotation, 001): the kubelet's client certificate, which TLS bootstrapping
 * renews, `/var/lib/kubelet/pki/kubelet-client-current.pem`; its serving certificate,
 * `/var/lib/kubelet/pki/kubelet-server-current.pem` where serving certificate rotation is on, else the
 * one AKS writes at provisioning, `/etc/kubernetes/certs/kubeletserver.crt`; the API server certificate
 * the article checks on an agent node, `/etc/kubernetes/certs/apiserver.crt`; and TLS bootstrapping's
 * `/var/lib/kubelet/bootstrap-kubeconfig` (or `/host/var/lib/kubelet/...`), `C:\k\bootstrap-config` on Windows.
 */
export const LINUX_PROBE_SCRIPT = [
  `echo '${PROBE_BEGIN}'`,
  'probe() {',
  '  echo "file=$1"; shift',
  '  for f in "$@"; do',
  '    if [ -f "$f" ]; then',
  '      openssl x509 -in "$f" -noout -subject -issuer -serial -startdate -enddate -fingerprint -sha256 2>/dev/null || echo unreadable',
  '      return',
  '    fi',
  '  done',
  '  echo missing',
  '}',
  'probe kubelet-client /var/lib/kubelet/pki/kubelet-client-current.pem',
  'probe kubelet-serving /var/lib/kubelet/pki/kubelet-server-current.pem /etc/kubernetes/certs/kubeletserver.crt',
  'probe node-apiserver /etc/kubernetes/certs/apiserver.crt',
  'if [ -f /var/lib/kubelet/bootstrap-kubeconfig ] || [ -f /host/var/lib/kubelet/bootstrap-kubeconfig ]; then echo bootstrap-kubeconfig=present; else echo bootstrap-kubeconfig=absent; fi',
  `echo '${PROBE_END}'`,
];

/**
 * The same on a Windows node, in PowerShell: the first CERTIFICATE block of each file read with
 * X509Certificate2 (never the key block beside it), its fields printed in OpenSSL's line format (dates
 * `Mar  1 12:00:00 2026 GMT`, the fingerprint the SHA-256 of the DER in upper-case hex pairs).
 */
export const WINDOWS_PROBE_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  `Write-Output '${PROBE_BEGIN}'`,
  'function Probe($name, $paths) {',
  '  Write-Output "file=$name"',
  '  foreach ($path in $paths) {',
  '    if (Test-Path -LiteralPath $path -PathType Leaf) {',
  '      try {',
  "        $match = [regex]::Match([IO.File]::ReadAllText($path), '-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----')",
  "        if (-not $match.Success) { Write-Output 'unreadable'; return }",
  '        $cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2(,[Convert]::FromBase64String(($match.Groups[1].Value -replace "\\s", "")))',
  '        $culture = [Globalization.CultureInfo]::InvariantCulture',
  "        $date = { param($d) $u = $d.ToUniversalTime(); $u.ToString('MMM', $culture) + ' ' + $u.Day.ToString().PadLeft(2) + ' ' + $u.ToString('HH:mm:ss yyyy', $culture) + ' GMT' }",
  "        $sha = [Security.Cryptography.SHA256]::Create().ComputeHash($cert.RawData)",
  '        Write-Output ("subject=" + $cert.Subject)',
  '        Write-Output ("issuer=" + $cert.Issuer)',
  '        Write-Output ("serial=" + $cert.SerialNumber.ToUpperInvariant())',
  '        Write-Output ("notBefore=" + (& $date $cert.NotBefore))',
  '        Write-Output ("notAfter=" + (& $date $cert.NotAfter))',
  "        Write-Output (\"sha256 Fingerprint=\" + (($sha | ForEach-Object { $_.ToString('X2') }) -join ':'))",
  "      } catch { Write-Output 'unreadable' }",
  '      return',
  '    }',
  '  }',
  "  Write-Output 'missing'",
  '}',
  "Probe 'kubelet-client' @('C:\\k\\pki\\kubelet-client-current.pem')",
  "Probe 'kubelet-serving' @('C:\\k\\pki\\kubelet-server-current.pem', 'C:\\k\\kubeletserver.crt')",
  "Probe 'node-apiserver' @('C:\\k\\apiserver.crt')",
  "if (Test-Path -LiteralPath 'C:\\k\\bootstrap-config' -PathType Leaf) { Write-Output 'bootstrap-kubeconfig=present' } else { Write-Output 'bootstrap-kubeconfig=absent' }",
  `Write-Output '${PROBE_END}'`,
];
