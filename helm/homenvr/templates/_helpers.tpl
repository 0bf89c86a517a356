{{/* Chart name, overridable. */}}
{{- define "homenvr.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: "<release>-homenvr", or the release name when it already says homenvr. */}}
{{- define "homenvr.fullname" -}}
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

{{- define "homenvr.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "homenvr.selectorLabels" -}}
app.kubernetes.io/name: {{ include "homenvr.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "homenvr.labels" -}}
helm.sh/chart: {{ include "homenvr.chart" . }}
{{ include "homenvr.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: homenvr
{{- end }}

{{- define "homenvr.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "homenvr.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "repository:tag", the tag defaulting to the chart's appVersion. Call with (list .Values.x.image $). */}}
{{- define "homenvr.image" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/*
The namespaced rules the operator needs wherever it reconciles CameraMonitors. Each rule says
which part of the operator uses it; helm/src/test/.../rbac/RbacLeastPrivilegeTest compares them with what
the operator really calls.
*/}}
{{- define "homenvr.namespacedRules" -}}
# the CameraMonitors: watched, annotated by the ladder (restart/ack bookkeeping), status written
- apiGroups: ["homenvr.io"]
  resources: ["cameramonitors"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["homenvr.io"]
  resources: ["cameramonitors/status"]
  verbs: ["patch"]
# owner references that block owner deletion need this where OwnerReferencesPermissionEnforcement is on
- apiGroups: ["homenvr.io"]
  resources: ["cameramonitors/finalizers"]
  verbs: ["update"]
# the pipeline's ConfigMap, Service, PVC and Deployment (JOSDK dependents: informer, create,
# update, delete when deactivated); ConfigMaps also hold incident evidence and AI-fix prompts
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["services", "persistentvolumeclaims"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "update", "delete"]
# health checks list the pipeline's pods and read their logs and CPU; Tier 1 deletes a pod
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "delete"]
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: ["metrics.k8s.io"]
  resources: ["pods"]
  verbs: ["list"]
# Tier 2: the AI-fix Job
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "create"]
# referenced Secrets are checked for existence and keys; never written
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
# Events about CameraMonitors, one per transition
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{- define "homenvr.leaseRules" -}}
# create cannot be limited by name; reading and renewing can
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: [{{ include "homenvr.fullname" . | quote }}]
  verbs: ["get", "update"]
{{- end }}

{{- define "homenvr.nodeRules" -}}
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get"]
{{- end }}
