export { type CheckFileOptions, checkFileBeforeUpload, type FileCheck, type FileRefusal } from './check-file-before-upload.ts';
export {
  type GraphQLErrorBody,
  type GraphQLResponseBody,
  isUploadError,
  UploadError,
  type UploadFileOptions,
  type UploadOperation,
  uploadFile,
} from './upload-file.ts';
