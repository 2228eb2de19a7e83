{{- define "antidote.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "antidote.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "antidote.labels" -}}
{{ include "antidote.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "antidote.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "antidote.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ .Values.serviceAccount.name | default (include "antidote.fullname" .) }}
{{- else -}}
{{ .Values.serviceAccount.name | default "default" }}
{{- end -}}
{{- end -}}

{{/*
A volume name for a credential reference. References may hold dots and upper case, which volume names may not;
the hash keeps "lab.AMS" and "lab-ams" apart.
*/}}
{{- define "antidote.credentialVolume" -}}
{{ printf "cred-%s-%s" (. | lower | replace "." "-" | replace "_" "-" | trunc 40 | trimSuffix "-") (sha256sum . | trunc 8) }}
{{- end -}}

{{/* The properties file the service reads from /deployments/config (its working directory's config/). */}}
{{- define "antidote.properties" -}}
# Written by the Helm chart; `helm upgrade` changes it and restarts the pod.
antidote.inventory.file=/etc/antidote/inventory/inventory.yaml
antidote.playbooks.dir=/etc/antidote/playbooks
quarkus.datasource.reactive.url=postgresql://{{ .Values.database.host }}:{{ .Values.database.port }}/{{ .Values.database.name }}
quarkus.datasource.jdbc.url=jdbc:postgresql://{{ .Values.database.host }}:{{ .Values.database.port }}/{{ .Values.database.name }}
quarkus.datasource.reactive.max-size={{ .Values.database.maxConnections }}
quarkus.log.console.json.enabled={{ .Values.jsonLogs }}
{{- range $ref, $c := .Values.credentials }}
{{- /* Quoted: a reference may hold a dot, which would otherwise split the setting's name. */}}
antidote.credentials."{{ $ref }}".file=/etc/antidote/credentials/{{ $ref }}
{{- end }}
{{- if .Values.winrm.trustStore.secretName }}
antidote.winrm.trust-store=/etc/antidote/trust/{{ .Values.winrm.trustStore.key }}
{{- end }}
{{- if .Values.audit.signingKey.secretName }}
antidote.audit.signing-key-file=/etc/antidote/audit/{{ .Values.audit.signingKey.key }}
{{- end }}
{{- if .Values.audit.publicKey }}
antidote.audit.public-key={{ .Values.audit.publicKey }}
{{- end }}
{{- if .Values.audit.previousPublicKeys }}
antidote.audit.previous-public-keys={{ join "," .Values.audit.previousPublicKeys }}
{{- end }}
{{- if .Values.rabbitmq.enabled }}
rabbitmq-host={{ .Values.rabbitmq.host }}
rabbitmq-port={{ .Values.rabbitmq.port }}
rabbitmq-username={{ .Values.rabbitmq.user }}
{{- end }}
{{- if .Values.oidc.enabled }}
quarkus.oidc.auth-server-url={{ .Values.oidc.authServerUrl }}
quarkus.oidc.client-id={{ .Values.oidc.clientId }}
{{- if .Values.oidc.audience }}
quarkus.oidc.token.audience={{ .Values.oidc.audience }}
{{- end }}
{{- if .Values.oidc.console.enabled }}
antidote.console.oidc=true
quarkus.oidc.console.client-id={{ .Values.oidc.console.clientId }}
{{- end }}
{{- else }}
quarkus.oidc.tenant-enabled=false
{{- end }}
{{- range $key, $value := .Values.config }}
{{ $key }}={{ $value }}
{{- end }}
{{- end -}}

{{/* Volumes and mounts the service and the migration Job share: /tmp and the configuration file. */}}
{{- define "antidote.commonVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: config
  configMap:
    name: {{ include "antidote.fullname" . }}-config
{{- end -}}

{{- define "antidote.commonMounts" -}}
- name: tmp
  mountPath: /tmp
- name: config
  mountPath: /deployments/config
  readOnly: true
{{- end -}}
