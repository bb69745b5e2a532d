{{/* Object name prefix: the release name, or `<release>-<chart>` when the release name does not contain it. */}}
{{- define "ignition-sync.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ignition-sync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ignition-sync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ignition-sync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end -}}

{{- define "ignition-sync.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "ignition-sync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ignition-sync
{{- end -}}

{{- define "ignition-sync.serviceAccountName" -}}
{{- default (printf "%s-controller" (include "ignition-sync.fullname" .)) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "ignition-sync.webhookServiceName" -}}
{{- printf "%s-webhook" (include "ignition-sync.fullname" .) -}}
{{- end -}}

{{/* The Secret holding the admission server's certificate (tls.crt, tls.key, ca.crt). */}}
{{- define "ignition-sync.webhookCertSecret" -}}
{{- printf "%s-webhook-tls" (include "ignition-sync.fullname" .) -}}
{{- end -}}

{{/* An image reference from {repository, tag, digest}: the digest wins over the tag. */}}
{{- define "ignition-sync.imageRef" -}}
{{- $image := index . 0 -}}
{{- $defaultTag := index . 1 -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $image.repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $image.repository (default $defaultTag $image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "ignition-sync.image" -}}
{{- include "ignition-sync.imageRef" (list .Values.image .Chart.AppVersion) -}}
{{- end -}}

{{/* The injected agent's image: agent.image when it names a repository, else the controller's own image. */}}
{{- define "ignition-sync.agentImage" -}}
{{- if .Values.agent.image.repository -}}
{{- include "ignition-sync.imageRef" (list .Values.agent.image (default .Chart.AppVersion .Values.image.tag)) -}}
{{- else -}}
{{- include "ignition-sync.image" . -}}
{{- end -}}
{{- end -}}

{{/* The RBAC rules and webhook fields of src/install (`npm run gen` writes the file). */}}
{{- define "ignition-sync.policy" -}}
{{- .Files.Get "files/generated/install-policy.yaml" -}}
{{- end -}}

{{- define "ignition-sync.certDir" -}}/etc/ignition-sync/webhook-tls{{- end -}}
