variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "vpc_id" {
  type        = string
  description = "VPC the load balancer and the instances run in"
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets for the NLB and the instances"
}

variable "ami_id" {
  type        = string
  description = "Amazon Linux 2023 AMI"
}

variable "instance_count" {
  type    = number
  default = 2
}
