{{/*
Chart name, truncated to the 63 characters a DNS label allows.
*/}}
{{- define "pattern-tts.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: the release name when it already contains the chart name ("pattern-tts"), else release-chart.
*/}}
{{- define "pattern-tts.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "pattern-tts.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels shared by every object.
*/}}
{{- define "pattern-tts.labels" -}}
helm.sh/chart: {{ include "pattern-tts.chart" . }}
app.kubernetes.io/name: {{ include "pattern-tts.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pattern-tts
{{- end }}

{{/*
Selector labels of one component. Call with (dict "context" $ "component" "service|router|legacy").
*/}}
{{- define "pattern-tts.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pattern-tts.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
All labels of one component. Call with (dict "context" $ "component" "...").
*/}}
{{- define "pattern-tts.componentLabels" -}}
{{ include "pattern-tts.labels" .context }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
image reference. Call with (dict "image" .Values.x.image "context" $); an empty tag means the appVersion.
*/}}
{{- define "pattern-tts.image" -}}
{{- $tag := default .context.Chart.AppVersion .image.tag -}}
{{- if eq (toString $tag) "latest" }}
{{- fail (printf "%s: pin an image tag; \"latest\" is not allowed" .image.repository) }}
{{- end }}
{{- printf "%s:%s" .image.repository (toString $tag) }}
{{- end }}

{{- define "pattern-tts.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pattern-tts.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The claim holding the model folder when tts.model.volume is "pvc".
*/}}
{{- define "pattern-tts.modelClaimName" -}}
{{- default (printf "%s-models" (include "pattern-tts.fullname" .)) .Values.tts.model.pvc.existingClaim }}
{{- end }}

{{/*
Arm addresses for the router: explicit values win, else this release's in-cluster Services.
*/}}
{{- define "pattern-tts.newArmAddress" -}}
{{- default (printf "http://%s:%v" .Values.tts.service.name .Values.tts.service.port) .Values.router.arms.newAddress }}
{{- end }}

{{- define "pattern-tts.legacyArmAddress" -}}
{{- if .Values.router.arms.legacyAddress }}
{{- .Values.router.arms.legacyAddress }}
{{- else if .Values.legacy.enabled }}
{{- printf "http://%s:%v" .Values.legacy.service.name .Values.legacy.service.port }}
{{- end }}
{{- end }}

{{/*
NetworkPolicy peer for the DLE v4 gateway's pods (in its own namespace when namespaceLabels is set).
*/}}
{{- define "pattern-tts.gatewayPeer" -}}
- podSelector:
    matchLabels:
      {{- toYaml .Values.networkPolicy.gateway.podLabels | nindent 6 }}
  {{- with .Values.networkPolicy.gateway.namespaceLabels }}
  namespaceSelector:
    matchLabels:
      {{- toYaml . | nindent 6 }}
  {{- end }}
{{- end }}

{{/*
NetworkPolicy ingress rule letting Prometheus scrape the management port, when networkPolicy.monitoring.enabled.
*/}}
{{- define "pattern-tts.monitoringRule" -}}
{{- if .Values.networkPolicy.monitoring.enabled }}
- from:
    - namespaceSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.monitoring.namespaceLabels | nindent 10 }}
  ports:
    - port: management
      protocol: TCP
{{- end }}
{{- end }}
