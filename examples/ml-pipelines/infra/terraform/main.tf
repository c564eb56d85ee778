# The GitHub OIDC provider and the roles the mlops-actions workflows assume, in the dev, prod and registry
# accounts. Permission policies are the actions' iam-policy.json files with the placeholders filled in, kept as
# plain JSON so they can be compared with those files.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81" # thumbprint_list optional for the OIDC provider
    }
  }
}

provider "aws" {
  alias   = "dev"
  region  = var.region
  profile = var.dev_profile
}

provider "aws" {
  alias   = "prod"
  region  = var.region
  profile = var.prod_profile
}

provider "aws" {
  alias   = "registry"
  region  = var.region
  profile = var.registry_profile
}

resource "aws_iam_openid_connect_provider" "github_dev" {
  provider       = aws.dev
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_openid_connect_provider" "github_prod" {
  provider       = aws.prod
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_openid_connect_provider" "github_registry" {
  provider       = aws.registry
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

resource "aws_iam_role" "dev_deploy" {
  provider           = aws.dev
  name               = "github-deploy"
  description        = "The pipelines repository works in dev: validation, build, train, deploy, smoke tests, cleanup"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {
            "Federated": "${aws_iam_openid_connect_provider.github_dev.arn}"
          },
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {
            "StringEquals": {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
            },
            "StringLike": {
              "token.actions.githubusercontent.com:sub": "repo:${var.github_owner}/${var.github_repository}:*"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "dev_upsert_pipeline" {
  provider = aws.dev
  name     = "upsert-pipeline"
  role     = aws_iam_role.dev_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadThePipeline",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribePipeline",
            "sagemaker:ListPipelineVersions",
            "sagemaker:ListTags"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/${var.pipeline_name}*"
        },
        {
          "Sid": "CreateOrUpdateThePipelineAndItsTags",
          "Effect": "Allow",
          "Action": [
            "sagemaker:CreatePipeline",
            "sagemaker:UpdatePipeline",
            "sagemaker:AddTags",
            "sagemaker:DeleteTags"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/${var.pipeline_name}*"
        },
        {
          "Sid": "PassThePipelineRoleToSageMaker",
          "Effect": "Allow",
          "Action": "iam:PassRole",
          "Resource": "arn:aws:iam::${var.dev_account_id}:role/${var.sagemaker_execution_role_name}",
          "Condition": {
            "StringEquals": {
              "iam:PassedToService": "sagemaker.amazonaws.com"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "dev_start_execution" {
  provider = aws.dev
  name     = "start-execution"
  role     = aws_iam_role.dev_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "StartThePipelineOncePerRun",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribePipeline",
            "sagemaker:StartPipelineExecution",
            "sagemaker:ListPipelineExecutions"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/${var.pipeline_name}*"
        },
        {
          "Sid": "WatchStopAndRetryItsExecutions",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribePipelineExecution",
            "sagemaker:ListPipelineExecutionSteps",
            "sagemaker:StopPipelineExecution",
            "sagemaker:RetryPipelineExecution"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/${var.pipeline_name}*/execution/*"
        },
        {
          "Sid": "ReadTheLogsOfFailedSteps",
          "Effect": "Allow",
          "Action": [
            "logs:DescribeLogStreams",
            "logs:GetLogEvents"
          ],
          "Resource": [
            "arn:aws:logs:${var.region}:${var.dev_account_id}:log-group:/aws/sagemaker/TrainingJobs",
            "arn:aws:logs:${var.region}:${var.dev_account_id}:log-group:/aws/sagemaker/ProcessingJobs",
            "arn:aws:logs:${var.region}:${var.dev_account_id}:log-group:/aws/sagemaker/TransformJobs"
          ]
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "dev_build_push_image" {
  provider = aws.dev
  name     = "build-push-image"
  role     = aws_iam_role.dev_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "LogInToTheRegistry",
          "Effect": "Allow",
          "Action": "ecr:GetAuthorizationToken",
          "Resource": "*"
        },
        {
          "Sid": "FindOrCreateTheRepositoryAndReadItsTags",
          "Effect": "Allow",
          "Action": [
            "ecr:DescribeRepositories",
            "ecr:CreateRepository",
            "ecr:BatchGetImage"
          ],
          "Resource": "arn:aws:ecr:${var.region}:${var.dev_account_id}:repository/${var.dev_repository_name_pattern}"
        },
        {
          "Sid": "PushAndPullLayersAndManifests",
          "Effect": "Allow",
          "Action": [
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
            "ecr:GetDownloadUrlForLayer"
          ],
          "Resource": "arn:aws:ecr:${var.region}:${var.dev_account_id}:repository/${var.dev_repository_name_pattern}"
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "dev_deploy_endpoint" {
  provider = aws.dev
  name     = "deploy-endpoint"
  role     = aws_iam_role.dev_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadTheApprovedPackage",
          "Effect": "Allow",
          "Action": "sagemaker:DescribeModelPackage",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:model-package/${var.dev_model_package_group_name}/*"
        },
        {
          "Sid": "CreateTheModelAndTheEndpointConfig",
          "Effect": "Allow",
          "Action": [
            "sagemaker:CreateModel",
            "sagemaker:CreateEndpointConfig",
            "sagemaker:AddTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:model/${var.dev_endpoint_name_pattern}-v*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:model/${var.dev_endpoint_name_pattern}-d*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/${var.dev_endpoint_name_pattern}-v*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/${var.dev_endpoint_name_pattern}-d*"
          ]
        },
        {
          "Sid": "CreateOrUpdateTheEndpoint",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeEndpoint",
            "sagemaker:CreateEndpoint",
            "sagemaker:UpdateEndpoint",
            "sagemaker:AddTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint/${var.dev_endpoint_name_pattern}",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/${var.dev_endpoint_name_pattern}-v*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/${var.dev_endpoint_name_pattern}-d*"
          ]
        },
        {
          "Sid": "PassTheExecutionRoleToSageMaker",
          "Effect": "Allow",
          "Action": "iam:PassRole",
          "Resource": "arn:aws:iam::${var.dev_account_id}:role/${var.sagemaker_execution_role_name}",
          "Condition": {
            "StringEquals": {
              "iam:PassedToService": "sagemaker.amazonaws.com"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "dev_wait_for_endpoint" {
  provider = aws.dev
  name     = "wait-for-endpoint"
  role     = aws_iam_role.dev_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "WatchTheEndpoint",
          "Effect": "Allow",
          "Action": "sagemaker:DescribeEndpoint",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint/${var.dev_endpoint_name_pattern}"
        },
        {
          "Sid": "ReadTheEndpointLogsOnFailure",
          "Effect": "Allow",
          "Action": [
            "logs:DescribeLogStreams",
            "logs:GetLogEvents"
          ],
          "Resource": "arn:aws:logs:${var.region}:${var.dev_account_id}:log-group:/aws/sagemaker/Endpoints/${var.dev_endpoint_name_pattern}"
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "dev_smoke_test_endpoint" {
  provider = aws.dev
  name     = "smoke-test-endpoint"
  role     = aws_iam_role.dev_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "InvokeTheServingEndpoint",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeEndpoint",
            "sagemaker:InvokeEndpoint"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint/${var.dev_endpoint_name_pattern}"
        },
        {
          "Sid": "RollBackToThePreviousConfig",
          "Effect": "Allow",
          "Action": "sagemaker:UpdateEndpoint",
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint/${var.dev_endpoint_name_pattern}",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/${var.dev_endpoint_name_pattern}-v*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/${var.dev_endpoint_name_pattern}-d*"
          ]
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "dev_cleanup" {
  provider = aws.dev
  name     = "cleanup"
  role     = aws_iam_role.dev_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ListWhatTheAccountHolds",
          "Effect": "Allow",
          "Action": [
            "sagemaker:ListPipelines",
            "sagemaker:ListEndpoints",
            "sagemaker:ListEndpointConfigs",
            "sagemaker:ListModels"
          ],
          "Resource": "*"
        },
        {
          "Sid": "ReadTheOwnershipTags",
          "Effect": "Allow",
          "Action": "sagemaker:ListTags",
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint/*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:model/*"
          ]
        },
        {
          "Sid": "ReadWhatEndpointsServe",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeEndpoint",
            "sagemaker:DescribeEndpointConfig"
          ],
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint/*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/*"
          ]
        },
        {
          "Sid": "ListTheExecutionsOfItsPipelines",
          "Effect": "Allow",
          "Action": "sagemaker:ListPipelineExecutions",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/*",
          "Condition": {
            "StringEquals": {
              "aws:ResourceTag/mlops-actions:repository": "${var.github_owner}/${var.github_repository}"
            }
          }
        },
        {
          "Sid": "DeleteOnlyWhatTheRepositoryCreated",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DeletePipeline",
            "sagemaker:DeleteEndpoint",
            "sagemaker:DeleteEndpointConfig",
            "sagemaker:DeleteModel"
          ],
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint/*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:endpoint-config/*",
            "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:model/*"
          ],
          "Condition": {
            "StringEquals": {
              "aws:ResourceTag/mlops-actions:repository": "${var.github_owner}/${var.github_repository}"
            }
          }
        },
        {
          "Sid": "StopTheRunningExecutionsOfItsPipelines",
          "Effect": "Allow",
          "Action": [
            "sagemaker:StopPipelineExecution",
            "sagemaker:DescribePipelineExecution"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.dev_account_id}:pipeline/*/execution/*"
        }
      ]
    }
  EOT
}

resource "aws_iam_role" "prod_plan" {
  provider           = aws.prod
  name               = "github-plan"
  description        = "Pull requests plan against prod: read only"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {
            "Federated": "${aws_iam_openid_connect_provider.github_prod.arn}"
          },
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {
            "StringEquals": {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:${var.github_owner}/${var.github_repository}:pull_request"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "prod_plan_pipeline" {
  provider = aws.prod
  name     = "plan-pipeline"
  role     = aws_iam_role.prod_plan.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadThePipeline",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribePipeline",
            "sagemaker:ListPipelineVersions",
            "sagemaker:ListTags"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:pipeline/${var.pipeline_name}"
        }
      ]
    }
  EOT
}

resource "aws_iam_role" "prod_deploy" {
  provider           = aws.prod
  name               = "github-deploy"
  description        = "Only main, in the production environment, promotes to prod"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {
            "Federated": "${aws_iam_openid_connect_provider.github_prod.arn}"
          },
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {
            "StringEquals": {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": [
                "repo:${var.github_owner}/${var.github_repository}:ref:refs/heads/main",
                "repo:${var.github_owner}/${var.github_repository}:environment:production"
              ]
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "prod_upsert_pipeline" {
  provider = aws.prod
  name     = "upsert-pipeline"
  role     = aws_iam_role.prod_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadThePipeline",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribePipeline",
            "sagemaker:ListPipelineVersions",
            "sagemaker:ListTags"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:pipeline/${var.pipeline_name}"
        },
        {
          "Sid": "CreateOrUpdateThePipelineAndItsTags",
          "Effect": "Allow",
          "Action": [
            "sagemaker:CreatePipeline",
            "sagemaker:UpdatePipeline",
            "sagemaker:AddTags",
            "sagemaker:DeleteTags"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:pipeline/${var.pipeline_name}"
        },
        {
          "Sid": "PassThePipelineRoleToSageMaker",
          "Effect": "Allow",
          "Action": "iam:PassRole",
          "Resource": "arn:aws:iam::${var.prod_account_id}:role/${var.sagemaker_execution_role_name}",
          "Condition": {
            "StringEquals": {
              "iam:PassedToService": "sagemaker.amazonaws.com"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "prod_start_execution" {
  provider = aws.prod
  name     = "start-execution"
  role     = aws_iam_role.prod_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "StartThePipelineOncePerRun",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribePipeline",
            "sagemaker:StartPipelineExecution",
            "sagemaker:ListPipelineExecutions"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:pipeline/${var.pipeline_name}"
        },
        {
          "Sid": "WatchStopAndRetryItsExecutions",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribePipelineExecution",
            "sagemaker:ListPipelineExecutionSteps",
            "sagemaker:StopPipelineExecution",
            "sagemaker:RetryPipelineExecution"
          ],
          "Resource": "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:pipeline/${var.pipeline_name}/execution/*"
        },
        {
          "Sid": "ReadTheLogsOfFailedSteps",
          "Effect": "Allow",
          "Action": [
            "logs:DescribeLogStreams",
            "logs:GetLogEvents"
          ],
          "Resource": [
            "arn:aws:logs:${var.region}:${var.prod_account_id}:log-group:/aws/sagemaker/TrainingJobs",
            "arn:aws:logs:${var.region}:${var.prod_account_id}:log-group:/aws/sagemaker/ProcessingJobs",
            "arn:aws:logs:${var.region}:${var.prod_account_id}:log-group:/aws/sagemaker/TransformJobs"
          ]
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "prod_deploy_endpoint" {
  provider = aws.prod
  name     = "deploy-endpoint"
  role     = aws_iam_role.prod_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ReadTheApprovedPackage",
          "Effect": "Allow",
          "Action": "sagemaker:DescribeModelPackage",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.registry_account_id}:model-package/${var.model_package_group_name}/*"
        },
        {
          "Sid": "CreateTheModelAndTheEndpointConfig",
          "Effect": "Allow",
          "Action": [
            "sagemaker:CreateModel",
            "sagemaker:CreateEndpointConfig",
            "sagemaker:AddTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:model/${var.endpoint_name}*-v*",
            "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:model/${var.endpoint_name}*-d*",
            "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:endpoint-config/${var.endpoint_name}*-v*",
            "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:endpoint-config/${var.endpoint_name}*-d*"
          ]
        },
        {
          "Sid": "CreateOrUpdateTheEndpoint",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeEndpoint",
            "sagemaker:CreateEndpoint",
            "sagemaker:UpdateEndpoint",
            "sagemaker:AddTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:endpoint/${var.endpoint_name}*",
            "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:endpoint-config/${var.endpoint_name}*-v*",
            "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:endpoint-config/${var.endpoint_name}*-d*"
          ]
        },
        {
          "Sid": "PassTheExecutionRoleToSageMaker",
          "Effect": "Allow",
          "Action": "iam:PassRole",
          "Resource": "arn:aws:iam::${var.prod_account_id}:role/${var.sagemaker_execution_role_name}",
          "Condition": {
            "StringEquals": {
              "iam:PassedToService": "sagemaker.amazonaws.com"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "prod_wait_for_endpoint" {
  provider = aws.prod
  name     = "wait-for-endpoint"
  role     = aws_iam_role.prod_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "WatchTheEndpoint",
          "Effect": "Allow",
          "Action": "sagemaker:DescribeEndpoint",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.prod_account_id}:endpoint/${var.endpoint_name}*"
        },
        {
          "Sid": "ReadTheEndpointLogsOnFailure",
          "Effect": "Allow",
          "Action": [
            "logs:DescribeLogStreams",
            "logs:GetLogEvents"
          ],
          "Resource": "arn:aws:logs:${var.region}:${var.prod_account_id}:log-group:/aws/sagemaker/Endpoints/${var.endpoint_name}*"
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "prod_assume_registry_reader" {
  provider = aws.prod
  name     = "assume-registry-reader"
  role     = aws_iam_role.prod_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "AssumeTheNextRoleOfTheChainWithSessionTags",
          "Effect": "Allow",
          "Action": [
            "sts:AssumeRole",
            "sts:TagSession"
          ],
          "Resource": "arn:aws:iam::${var.registry_account_id}:role/registry-reader"
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "prod_build_push_image" {
  provider = aws.prod
  name     = "build-push-image"
  role     = aws_iam_role.prod_deploy.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "LogInToTheRegistry",
          "Effect": "Allow",
          "Action": "ecr:GetAuthorizationToken",
          "Resource": "*"
        },
        {
          "Sid": "FindOrCreateTheRepositoryAndReadItsTags",
          "Effect": "Allow",
          "Action": [
            "ecr:DescribeRepositories",
            "ecr:CreateRepository",
            "ecr:BatchGetImage"
          ],
          "Resource": "arn:aws:ecr:${var.region}:${var.prod_account_id}:repository/${var.prod_mirror_repository_name}"
        },
        {
          "Sid": "PushAndPullLayersAndManifests",
          "Effect": "Allow",
          "Action": [
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
            "ecr:GetDownloadUrlForLayer"
          ],
          "Resource": "arn:aws:ecr:${var.region}:${var.prod_account_id}:repository/${var.prod_mirror_repository_name}"
        }
      ]
    }
  EOT
}

resource "aws_iam_role" "registry_reader" {
  provider           = aws.registry
  name               = "registry-reader"
  description        = "The prod deploy role reads the model registry and waits for approvals; it cannot decide"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {
            "AWS": "${aws_iam_role.prod_deploy.arn}"
          },
          "Action": "sts:AssumeRole"
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "registry_wait_for_model_approval" {
  provider = aws.registry
  name     = "wait-for-model-approval"
  role     = aws_iam_role.registry_reader.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "FindTheNewestPackageOfTheGroup",
          "Effect": "Allow",
          "Action": "sagemaker:ListModelPackages",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.registry_account_id}:model-package-group/${var.model_package_group_name}"
        },
        {
          "Sid": "JudgeItsPackages",
          "Effect": "Allow",
          "Action": "sagemaker:DescribeModelPackage",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.registry_account_id}:model-package/${var.model_package_group_name}/*"
        }
      ]
    }
  EOT
}

resource "aws_iam_role" "model_approver" {
  provider           = aws.registry
  name               = "model-approver"
  description        = "Approvals come only from the model-approval environment"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {
            "Federated": "${aws_iam_openid_connect_provider.github_registry.arn}"
          },
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {
            "StringEquals": {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:${var.github_owner}/${var.github_repository}:environment:model-approval"
            }
          }
        }
      ]
    }
  EOT
}

resource "aws_iam_role_policy" "registry_decide_model_approval" {
  provider = aws.registry
  name     = "decide-model-approval"
  role     = aws_iam_role.model_approver.id
  policy   = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "JudgeItsPackages",
          "Effect": "Allow",
          "Action": "sagemaker:DescribeModelPackage",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.registry_account_id}:model-package/${var.model_package_group_name}/*"
        },
        {
          "Sid": "RecordApprovalDecisions",
          "Effect": "Allow",
          "Action": "sagemaker:UpdateModelPackage",
          "Resource": "arn:aws:sagemaker:${var.region}:${var.registry_account_id}:model-package/${var.model_package_group_name}/*"
        }
      ]
    }
  EOT
}

# The central model package group, shared with prod: prod's pipeline registers into it, prod deploys from it.
resource "aws_sagemaker_model_package_group" "central" {
  provider                 = aws.registry
  model_package_group_name = var.model_package_group_name
}

resource "aws_sagemaker_model_package_group_policy" "central" {
  provider                 = aws.registry
  model_package_group_name = aws_sagemaker_model_package_group.central.model_package_group_name
  resource_policy          = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ProdRegistersReadsAndDeploys",
          "Effect": "Allow",
          "Principal": { "AWS": "arn:aws:iam::${var.prod_account_id}:root" },
          "Action": [
            "sagemaker:CreateModelPackage",
            "sagemaker:DescribeModelPackage",
            "sagemaker:ListModelPackages",
            "sagemaker:DescribeModelPackageGroup",
            "sagemaker:CreateModel"
          ],
          "Resource": [
            "arn:aws:sagemaker:${var.region}:${var.registry_account_id}:model-package-group/${var.model_package_group_name}",
            "arn:aws:sagemaker:${var.region}:${var.registry_account_id}:model-package/${var.model_package_group_name}/*"
          ]
        }
      ]
    }
  EOT
}
