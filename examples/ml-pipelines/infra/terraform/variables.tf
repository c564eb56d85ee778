variable "region" {
  description = "The platform's region."
  type        = string
  default     = "eu-west-1"
}

variable "dev_account_id" {
  type    = string
  default = "111111111111"
}

variable "prod_account_id" {
  type    = string
  default = "222222222222"
}

variable "registry_account_id" {
  description = "The account of the central model registry."
  type        = string
  default     = "333333333333"
}

variable "dev_profile" {
  description = "AWS CLI profile with administrator access to the dev account."
  type        = string
  default     = "dev-admin"
}

variable "prod_profile" {
  description = "AWS CLI profile with administrator access to the prod account."
  type        = string
  default     = "prod-admin"
}

variable "registry_profile" {
  description = "AWS CLI profile with administrator access to the registry account."
  type        = string
  default     = "registry-admin"
}

variable "github_owner" {
  type    = string
  default = "example-org"
}

variable "github_repository" {
  description = "The ML pipelines repository whose workflows assume the roles."
  type        = string
  default     = "ml-pipelines"
}

variable "pipeline_name" {
  description = "In lower case, as SageMaker ARNs have it."
  type        = string
  default     = "abalone"
}

variable "endpoint_name" {
  description = "In lower case, as SageMaker ARNs have it; prod deploys it and endpoints whose names start with it."
  type        = string
  default     = "abalone"
}

variable "model_package_group_name" {
  description = "The central model package group, in lower case."
  type        = string
  default     = "abalone"
}

variable "dev_endpoint_name_pattern" {
  description = "The endpoints dev deploys, smoke-tests and cleans up (a pattern, in lower case)."
  type        = string
  default     = "abalone-*"
}

variable "dev_model_package_group_name" {
  description = "The group the dev pipeline registers models in, in lower case."
  type        = string
  default     = "abalone-dev"
}

variable "dev_repository_name_pattern" {
  description = "The ECR repositories dev builds images into (a pattern)."
  type        = string
  default     = "ml/abalone-*"
}

variable "prod_mirror_repository_name" {
  description = "The prod ECR repository deploy-image.yml copies an outside image into."
  type        = string
  default     = "mirror/abalone-serve"
}

variable "sagemaker_execution_role_name" {
  description = "The role pipelines and models run as, in dev and prod (created with the accounts, not here)."
  type        = string
  default     = "sagemaker-execution"
}
